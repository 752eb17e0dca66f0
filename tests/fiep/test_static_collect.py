"""Static files collect cleanly in the production shape (DJANGO_DEBUG=false, the manifest).

The Dockerfile and bin/entrypoint run exactly this step; without the manifest every page
of a production install answers 500.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_collectstatic_with_debug_off_writes_the_manifest(tmp_path):
    static_root = tmp_path / "static_root"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fiep.example.org",
        STATIC_ROOT=str(static_root),
        DJANGO_SETTINGS_MODULE="fiep.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "css/app.css",
        "js/app.js",
    ):
        hashed = manifest[name]
        assert hashed != name
        assert (static_root / hashed).is_file()
        # whitenoise serves the compressed copy to browsers that accept it
        assert (static_root / f"{hashed}.gz").is_file()
    css = (static_root / manifest["vendor/bootstrap/bootstrap.min.css"]).read_text()
    assert "sourceMappingURL" not in css


def test_collectstatic_manifest_refuses_a_dangling_source_map(tmp_path, settings):
    """The near miss: a vendored file naming a map that is not shipped stops the build."""
    extra = tmp_path / "extra"
    (extra / "vendor").mkdir(parents=True)
    (extra / "vendor" / "lib.min.css").write_text(
        "body{color:#000}\n/*# sourceMappingURL=lib.min.css.map */\n"
    )
    settings.STATICFILES_DIRS = [extra]
    settings.STATIC_ROOT = tmp_path / "static_root"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with pytest.raises(ValueError, match=r"lib\.min\.css\.map"):
        call_command("collectstatic", "--noinput", verbosity=0)
