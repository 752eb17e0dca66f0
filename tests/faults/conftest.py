"""The fault suite (marker ``faults``): one private stack for the whole module, started
once; each test injects one fault and leaves the stack healthy again."""

import datetime
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from .stack import App, Postgres, Redis, Smtp, wait_until


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.faults)


def _needs():
    missing = [tool for tool in ("redis-server", "initdb", "pg_ctl") if not shutil.which(tool)]
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser")
    return missing


@pytest.fixture(scope="session")
def stack():
    missing = _needs()
    if missing:
        message = f"fault tests need {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run them, not skip them silently
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="fiep-faults-"))
    postgres = Postgres()
    redis = Redis(folder)
    smtp = Smtp()
    app = None
    try:
        postgres.init()
        redis.start()
        smtp.start()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("FIEP_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "fiep.settings",
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": postgres.url(),
            "CELERY_BROKER_URL": redis.url(0),
            "CACHE_URL": redis.url(1),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "EMAIL_TIMEOUT": "3",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "FIEP_MFA_REQUIRED": "false",
            "FIEP_RATE_LIMIT_PER_HOUR": "100000",
            # Time compressed: sweeps every 2-3 s, retries 2 s apart, short leases.
            "FIEP_OUTBOX_SWEEP_SECONDS": "3",
            "FIEP_OUTBOX_LEASE_SECONDS": "8",
            "FIEP_OUTBOX_RETRY_DELAYS": ",".join(["2"] * 11),
            "FIEP_HEARTBEAT_SECONDS": "2",
            "FIEP_BROKER_BACKOFF_SECONDS": "5",
            "FIEP_REPORT_TIME_LIMIT": "30",
            "FIEP_REPORT_STALE_SECONDS": "10",
            "FIEP_REPORT_SWEEP_SECONDS": "2",
            "LOG_LEVEL": "INFO",
        }
        env.pop("DATABASE_URL_FILE", None)
        app = App(folder, env)
        app.manage("migrate", "--noinput")
        app.manage("collectstatic", "--noinput", "-v", "0")
        app.manage(
            "shell",
            "-c",
            "from fiep.models import District, Region; "
            "r = Region.objects.create(name='Faults'); "
            "District.objects.create(code='999-001', name='Faults R-I', region=r)",
        )
        app.start_web()
        app.start_worker()
        app.start_beat()
        yield Stack(postgres, redis, smtp, app)
    finally:
        if app is not None:
            app.stop_all()
        smtp.stop()
        if redis.process is not None and redis.process.poll() is None:
            redis.resume()
            redis.stop()
        postgres.destroy()
        if os.environ.get("FIEP_FAULTS_KEEP"):
            print(f"fault stack logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


class Stack:
    def __init__(self, postgres, redis, smtp, app):
        self.postgres, self.redis, self.smtp, self.app = postgres, redis, smtp, app

    def district_id(self):
        return self.postgres.query("SELECT id FROM fiep_district WHERE code = '999-001'")[0][0]

    def submit(self, n):
        """One parent's request through the public form: (status, seconds)."""
        cookies = {}
        status, page, _headers, _s = self.app.get("/requests/new/", cookies=cookies)
        assert status == 200, page[:500]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]*)"', page).group(1)
        today = datetime.date.today()
        data = {
            "csrfmiddlewaretoken": csrf,
            "submission_token": token,
            "requested_by": "parent",
            "student_first_name": "Faults",
            "student_last_name": f"Student{n}",
            "student_birth_date": "2013-05-02",
            "school_name": "Fault Elementary",
            "district": str(self.district_id()),
            "disability_category": "autism",
            "has_iep": "yes",
            "parent_name": "Parent",
            "parent_email": f"parent{n}@example.org",
            "parent_language": "en",
            "interpreter_needed": "no",
            "district_contact_name": "Dana Director",
            "district_contact_email": f"sped{n}@district.example.org",
            "meeting_type": "annual_review",
            "preferred_format": "video",
            "concerns": ["services"],
            "narrative": "We disagree.",
            "other_process_pending": "no",
            "requester_consents": "on",
            "signature_name": "Parent",
            "signature_date": today.isoformat(),
        }
        status, page, headers, seconds = self.app.request(
            "POST", "/requests/new/", body=data, cookies=cookies
        )
        assert status == 302, (status, page[:1500])
        return status, seconds

    def health(self, timeout=30):
        import json

        status, body, _h, seconds = self.app.get("/health/", timeout=timeout)
        return status, json.loads(body), seconds

    def outbox(self):
        return self.postgres.query(
            "SELECT id, message_id, status, attempts, last_error FROM fiep_outboxmessage"
        )

    def unfiled(self):
        """Public-form submissions the worker has not filed as requests yet."""
        return self.postgres.query(
            "SELECT id FROM fiep_requests_submission WHERE request_id IS NULL"
        )

    def wait_all_sent(self, timeout=90):
        # The worker files the submissions first (the beat's intake run), then sends.
        wait_until(
            lambda: not self.unfiled(),
            timeout=timeout,
            what="every submission to be filed",
            interval=0.5,
        )
        wait_until(
            lambda: all(row[2] == "sent" for row in self.outbox()),
            timeout=timeout,
            what="every outbox message to be sent",
            interval=0.5,
        )

    def extra_copies(self):
        """Copies the server holds beyond one per Message-ID (a worker killed after the
        server took the message and before it was marked sent: the same message again)."""
        received = self.smtp.sink.message_ids()
        return len(received) - len(set(received))

    def assert_once_each(self):
        """0 lost, 0 duplicated by Message-ID: the server has every row's Message-ID and
        no other (each row is one Message-ID for life). Returns the extra copies."""
        rows = self.outbox()
        stored = {row[1] for row in rows}
        received = self.smtp.sink.message_ids()
        assert len(stored) == len(rows)
        assert set(received) == stored
        return self.extra_copies()

    def assert_no_server_errors(self):
        errors = [r for r in self.app.responses if r[2] >= 500 and r[2] != 503]
        assert errors == []
