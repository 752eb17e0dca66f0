"""The Nu HTML checker (vnu.jar), run the one way the tests use it.

The checker comes from the npm package ``vnu-jar``, pinned to an exact version in
``tests/vnu/package.json`` (with its lock file), installed without its install script
(which would download a Java runtime): ``npm ci --ignore-scripts --prefix tests/vnu``.
Java is Debian's ``default-jre-headless``. ``.ci/run`` does both.

The checker takes about five seconds to start, so every document of a test goes to one
run: :func:`problems` writes them to files, runs ``vnu.jar`` once over all of them and
answers one line per error, located by the document's label (its URL), line and column.
Only errors count: warnings and notes are advice.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

JAR = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "npm ci --ignore-scripts --prefix tests/vnu; apt-get install default-jre-headless"


def require():
    """Fail (not skip) when the checker or Java is missing: a check that cannot run has
    not passed."""
    if not JAR.exists():
        pytest.fail(f"{JAR} is missing: {INSTALL} (.ci/run does this)")
    if shutil.which("java") is None:
        pytest.fail(f"java is missing: {INSTALL} (.ci/run does this)")


def problems(documents):
    """Check ``documents`` ({label: HTML as str or bytes}) in one run of the checker.

    Returns ``["<label> line L, column C: <message> [extract]", ...]``, in the order of
    ``documents``; an empty list when every document is valid HTML.
    """
    require()
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        labels = {}
        for number, (label, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:04d}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            labels[path.name] = label
        result = subprocess.run(  # noqa: S603 - a fixed command on files written here
            ["java", "-Xss2m", "-jar", str(JAR), "--errors-only", "--format", "json", "--stdout"]
            + sorted(str(Path(folder) / name) for name in labels),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar exited {result.returncode}: {result.stdout}{result.stderr}")
    order = {label: index for index, label in enumerate(documents)}
    found = []
    for message in messages:
        name = Path(unquote(urlsplit(message.get("url", "")).path)).name
        label = labels.get(name, message.get("url", "?"))
        where = f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', '?')}"
        extract = " ".join(message.get("extract", "").split())
        found.append(
            (
                order.get(label, len(order)),
                f"{label} {where}: {message['message']}" + (f" [{extract}]" if extract else ""),
            )
        )
    if result.returncode not in (0, 1) or (result.returncode == 1 and not found):
        pytest.fail(f"vnu.jar exited {result.returncode}: {result.stderr}")
    return [line for _, line in sorted(found, key=lambda pair: pair[0])]
