"""/health/ tells each part's state apart, and is 503 only without the database."""

import datetime

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.utils import timezone

from fiep.models import Heartbeat, OutboxMessage, OutboxStatus
from fiep.services import heartbeat_record
from fiep.tasks import heartbeat

# /health/ reads the database in its own thread (PostgreSQL): the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_broker_settings(settings):
    # A broker that refuses at once (nothing listens on port 1), so the worker parts count.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def test_worker_is_unknown_before_the_first_heartbeat_then_ok_then_stale(
    client, real_broker_settings
):
    assert client.get("/health/").json()["worker"] == {"status": "unknown", "age_seconds": None}
    heartbeat()
    body = client.get("/health/").json()
    assert body["worker"]["status"] == "ok" and body["worker"]["age_seconds"] <= 1
    old = timezone.now() - datetime.timedelta(seconds=3 * 30 + 5)
    Heartbeat.objects.filter(name="worker").update(at=old)
    body = client.get("/health/").json()
    assert body["worker"]["status"] == "stale" and body["worker"]["age_seconds"] >= 95
    assert body["status"] == "ok"
    assert body["problems"] == ["broker", "worker"]


def test_smtp_reports_the_last_send(client):
    assert client.get("/health/").json()["smtp"] == {"status": "unknown"}
    heartbeat_record(name="smtp", ok=False, detail="SMTPServerDisconnected: gone")
    body = client.get("/health/").json()
    assert body["smtp"]["status"] == "failing"
    assert body["smtp"]["error"] == "SMTPServerDisconnected: gone"
    assert "smtp" in body["problems"]
    heartbeat_record(name="smtp", ok=True)
    assert client.get("/health/").json()["smtp"]["status"] == "ok"


def test_outbox_reports_the_oldest_unsent_message(client):
    assert client.get("/health/").json()["outbox"] == {
        "status": "ok",
        "oldest_unsent_age_seconds": None,
        "unsent": 0,
        "undelivered": 0,
    }
    row = OutboxMessage.objects.create(
        event="test_message",
        dedupe_key="h:1",
        recipient_email="p@example.org",
        language="en",
        subject="s",
        body_text="b",
    )
    OutboxMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    outbox = client.get("/health/").json()["outbox"]
    assert outbox["status"] == "behind"
    assert 595 <= outbox["oldest_unsent_age_seconds"] <= 605
    assert outbox["unsent"] == 1
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.SENT)
    assert client.get("/health/").json()["outbox"]["unsent"] == 0


def test_database_down_is_503(client, monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "down"
