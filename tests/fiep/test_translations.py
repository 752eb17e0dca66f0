"""Every string is translated to Spanish: no untranslated or fuzzy entry, and no string in
the code or templates that the catalogues do not have yet (makemessages run afresh)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["fiep", "fiep_requests", "facilitators", "meetings", "evaluations", "reports"]


def catalogues(root):
    return sorted(
        p
        for p in root.rglob("locale/es/LC_MESSAGES/django.po")
        if ".venv" not in p.parts and "tests" not in p.parts
    )


def missing(po_path):
    po = polib.pofile(str(po_path))
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and ("fuzzy" in entry.flags or (not entry.msgstr and not any(entry.msgstr_plural.values())))
    ]


def test_spanish_catalogues_have_no_untranslated_or_fuzzy_entries():
    problems = {str(p.relative_to(ROOT)): missing(p) for p in catalogues(ROOT)}
    problems = {path: ids[:10] for path, ids in problems.items() if ids}
    assert problems == {}


@pytest.mark.slow
def test_spanish_catalogues_are_up_to_date_with_the_source(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".venv-tools",
            ".git",
            "node_modules",
            "artifacts",
            "media",
            "*.sqlite3",
            "staticfiles",
            "__pycache__",
            "tests",
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--ignore=.venv",
            "--ignore=tests",
            "--no-obsolete",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    problems = {str(p.relative_to(copy)): missing(p) for p in catalogues(copy)}
    problems = {path: ids[:10] for path, ids in problems.items() if ids}
    assert problems == {}, "run makemessages -l es and translate: " + repr(problems)


def test_same_msgid_has_the_same_spanish_in_every_catalogue():
    """At run time the first catalogue that has a msgid wins (LOCALE_PATHS, then the apps in
    INSTALLED_APPS order), so a different Spanish for the same msgid elsewhere is dead text
    at best and a wrong translation at worst."""
    seen = {}
    for path in catalogues(ROOT):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            value = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            seen.setdefault(key, {})[str(path.relative_to(ROOT))] = value
    differences = {
        key[1]: by_path for key, by_path in seen.items() if len(set(by_path.values())) > 1
    }
    assert differences == {}
