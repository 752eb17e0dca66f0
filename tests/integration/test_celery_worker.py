"""A real Celery worker against the real Redis broker and the real PostgreSQL database.

Run by .ci/run with DATABASE_URL and CELERY_BROKER_URL set (``bin/test -m integration``).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from fiep.models import OutboxMessage, OutboxStatus
from fiep.notifications import Event, notify

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL") or not os.environ.get("DATABASE_URL"),
        reason="needs CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL)",
    ),
]


@pytest.fixture
def worker(tmp_path):
    """Start `celery worker` on the test database; stop it afterwards."""
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    # The worker writes each mail as a file under tmp_path/mail (django-environ makes the
    # path relative, so the worker runs in tmp_path with the project on PYTHONPATH).
    env["EMAIL_URL"] = "filemail:///mail"
    env["PYTHONPATH"] = str(ROOT)
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "fiep",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield tmp_path
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_outbox_message_round_trips_through_redis_and_a_worker(worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    message = notify(
        event=Event.TEST_MESSAGE,
        to_email="parent@example.org",
        language="es",
        context={"name": "Ana"},
        dedupe_key="integration:1",
    )
    # notify() queued the send on commit (autocommit here): the worker must deliver it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == OutboxStatus.SENT:
            break
        time.sleep(0.5)
    log = (worker / "worker.log").read_text()
    assert message.status == OutboxStatus.SENT, log[-3000:]
    assert (worker / "mail").is_dir(), log[-3000:]
    sent = list((worker / "mail").iterdir())
    assert len(sent) == 1
    assert "Mensaje de prueba" in sent[0].read_text()
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
