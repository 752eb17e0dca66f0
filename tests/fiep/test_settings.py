"""Settings are parsed strictly: bad values stop start-up with a message naming them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    """Import the settings in a fresh interpreter with ``env``; return (code, output)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    full_env.pop("SECRET_KEY", None)
    for name in ("ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"):
        full_env.pop(name, None)
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "fiep.settings"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print('DEBUG', settings.DEBUG, settings.DATABASES['default']['ENGINE'],"
            " settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_settings_defaults_are_development():
    code, out = run_check()
    assert code == 0, out
    assert "DEBUG True django.db.backends.sqlite3 True" in out


def test_settings_bad_boolean_names_the_variable():
    code, out = run_check(DJANGO_DEBUG="maybe-ish")
    assert code != 0
    assert "DJANGO_DEBUG" in out


def test_settings_bad_integer_names_the_variable():
    code, out = run_check(FIEP_SUPPRESSION_THRESHOLD="ten")
    assert code != 0
    assert "FIEP_SUPPRESSION_THRESHOLD" in out


def test_settings_start_month_out_of_range_is_refused():
    code, out = run_check(FIEP_SCHOOL_YEAR_START_MONTH="13")
    assert code != 0
    assert "FIEP_SCHOOL_YEAR_START_MONTH" in out


def test_settings_production_refuses_missing_secret_key():
    code, out = run_check(DJANGO_DEBUG="false", ALLOWED_HOSTS="fiep.example.org")
    assert code != 0
    assert "SECRET_KEY must be set" in out


def test_settings_production_refuses_missing_allowed_hosts():
    code, out = run_check(DJANGO_DEBUG="false", SECRET_KEY="x" * 60)
    assert code != 0
    assert "ALLOWED_HOSTS" in out


def test_settings_database_and_broker_urls_switch_backends():
    code, out = run_check(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert code == 0, out
    assert "django.db.backends.postgresql False" in out


def test_settings_secret_from_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("file-secret-" + "0123456789abcdef" * 4 + "\n")
    code, out = run_check(
        DJANGO_DEBUG="false", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="fiep.example.org"
    )
    assert code == 0, out


def test_check_deploy_has_no_warnings_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY="deploy-check-" + "0123456789abcdef" * 4,
        ALLOWED_HOSTS="fiep.example.org",
        DJANGO_SETTINGS_MODULE="fiep.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
