"""The outbox sends each message at most once per claim, always under the Message-ID
set when the row was written, retries for over a day, then shows it to staff."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from fiep.models import Heartbeat, OutboxMessage, OutboxStatus
from fiep.notifications import Event, notify
from fiep.services import outbox_claim, outbox_deliver, outbox_resend, retry_delays
from fiep.tasks import outbox_send, outbox_sweep

pytestmark = pytest.mark.django_db

FAILING = "tests.fiep.failing_email.Backend"


def _row():
    """A pending row written directly (notify() in autocommit would send it at once)."""
    return OutboxMessage.objects.create(
        event="test_message",
        dedupe_key="outbox-test:row",
        recipient_email="p@example.org",
        language="en",
        subject="Test",
        body_text="Test",
    )


def _message(n=1, **kwargs):
    return notify(
        event=Event.TEST_MESSAGE,
        to_email=f"p{n}@example.org",
        language="en",
        context={"name": "Ana"},
        dedupe_key=f"outbox-test:{n}",
        **kwargs,
    )


def test_message_id_is_set_at_creation_and_sent_unchanged(mailoutbox):
    message = _message()
    assert message.message_id.startswith("<") and message.message_id.endswith("@example.org>")
    assert outbox_deliver(message_id=message.pk) is True
    assert mailoutbox[0].message()["Message-ID"] == message.message_id


def test_every_row_has_its_own_message_id():
    ids = {_message(n).message_id for n in range(5)}
    assert len(ids) == 5


def test_a_retry_keeps_the_message_id(settings, mailoutbox):
    message = _message()
    settings.EMAIL_BACKEND = FAILING
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_by) == ("pending", 1, "")
    assert message.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 1
    assert [m.message()["Message-ID"] for m in mailoutbox] == [message.message_id]


def test_a_sent_row_is_never_sent_again(mailoutbox):
    message = _message()
    outbox_send(message.pk)
    outbox_send(message.pk)  # the task delivered again (worker lost, broker restored)
    assert outbox_sweep() == 0
    assert outbox_deliver(message_id=message.pk) is None
    assert len(mailoutbox) == 1


def test_a_row_leased_by_a_live_worker_is_left_alone_until_the_lease_runs_out(mailoutbox):
    message = _message()
    claimed, worker = outbox_claim(message_id=message.pk, worker="host:1:dead")
    assert claimed.status == OutboxStatus.SENDING and worker == "host:1:dead"
    # A redelivered task and the sweeper both find it taken.
    assert outbox_deliver(message_id=message.pk) is None
    assert outbox_sweep() == 0
    assert mailoutbox == []
    # The worker died mid-conversation: once its lease ran out, the row is sent again,
    # under the same Message-ID.
    OutboxMessage.objects.filter(pk=message.pk).update(
        leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert outbox_sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert mailoutbox[0].message()["Message-ID"] == message.message_id


def test_back_off_spreads_the_tries_over_at_least_a_day():
    delays = retry_delays()
    assert sum(delays) >= 24 * 3600
    assert delays == sorted(delays)


def test_after_the_last_try_the_message_is_not_delivered_and_shown_to_staff(
    settings, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    message = _message()
    for _ in range(len(retry_delays()) + 1):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, len(retry_delays()) + 1)
    assert outbox_deliver(message_id=message.pk) is None  # never retried by itself
    home = staff_client.get(reverse("staff-home")).content.decode()
    assert "1 message not delivered" in home
    page = staff_client.get(reverse("outbox-undelivered")).content.decode()
    assert "p1@example.org" in page and "SMTP down" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("outbox-undelivered"), {"message": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert mailoutbox[0].message()["Message-ID"] == message.message_id
    assert "not delivered" not in staff_client.get(reverse("staff-home")).content.decode()


def test_resend_touches_only_undelivered_messages(settings):
    sent = _message(1)
    outbox_deliver(message_id=sent.pk)
    assert outbox_resend(message_ids=[sent.pk]) == 0
    sent.refresh_from_db()
    assert sent.status == OutboxStatus.SENT


def test_undelivered_page_is_for_program_staff_only(client):
    from fiep.models import Role
    from tests import factories

    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.get(reverse("outbox-undelivered")).status_code == 403
    assert client.post(reverse("outbox-undelivered"), {"all": "1"}).status_code == 403


def test_sweep_stops_after_three_failures_in_a_row(settings):
    settings.EMAIL_BACKEND = FAILING
    for n in range(6):
        _message(n)
    outbox_sweep()
    tried = OutboxMessage.objects.filter(attempts=1).count()
    assert tried == 3
    assert OutboxMessage.objects.filter(attempts=0).count() == 3


def test_smtp_heartbeat_records_the_last_result(settings):
    settings.EMAIL_BACKEND = FAILING
    outbox_deliver(message_id=_message(1).pk)
    beat = Heartbeat.objects.get(name="smtp")
    assert (beat.ok, beat.detail) == (False, "ConnectionRefusedError: SMTP down")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_deliver(message_id=_message(2).pk)
    assert Heartbeat.objects.get(name="smtp").ok is True


@pytest.mark.django_db(transaction=True)
def test_a_locked_row_is_skipped_not_waited_for():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    message = _row()
    holding, release, results = threading.Event(), threading.Event(), []

    def hold():
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=message.pk)
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        results.append(outbox_claim(message_id=message.pk)[0])
    finally:
        release.set()
        holder.join()
    assert results == [None]
    claimed, _worker = outbox_claim(message_id=message.pk)
    assert claimed is not None and claimed.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_claim_a_row_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    message = _row()
    barrier, claims = threading.Barrier(4), []

    def claim():
        barrier.wait(5)
        claims.append(outbox_claim(message_id=message.pk)[0])
        connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(c is not None for c in claims) == 1


def test_undelivered_page_queries_do_not_grow_with_messages(staff_client):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def failed(n):
        row = _message(n)
        OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED)

    failed(1)
    staff_client.get(reverse("outbox-undelivered"))  # warm-up: the branding's cache
    with CaptureQueriesContext(db) as one:
        assert staff_client.get(reverse("outbox-undelivered")).status_code == 200
    for n in range(2, 8):
        failed(n)
    with CaptureQueriesContext(db) as many:
        page = staff_client.get(reverse("outbox-undelivered")).content.decode()
    assert page.count('name="message"') == 7
    assert len(many) == len(one)
