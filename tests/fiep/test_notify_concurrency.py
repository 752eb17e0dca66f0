"""``notify`` under concurrent retries (PostgreSQL only: SQLite serialises writers, so it
cannot show the race). Two transactions send the same message; the second one's
existence check runs before the first commits, so both insert the same ``dedupe_key``.
The loser must return the winner's row and its own change must still commit."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from fiep.models import OutboxMessage, Region
from fiep.notifications import Event, notify

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def send(change_name):
    with transaction.atomic():
        Region.objects.create(name=change_name)  # the rest of the caller's change
        return notify(
            event=Event.TEST_MESSAGE,
            to_email="p@example.org",
            language="en",
            context={"name": "Ana"},
            dedupe_key="retry:1",
        )


def insert_is_waiting():
    """True while another session's INSERT into the outbox waits for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE %s",
            ['INSERT INTO "fiep_outboxmessage"%'],
        )
        return cursor.fetchone()[0] > 0


def test_two_concurrent_retries_insert_one_message_and_both_changes_commit():
    first_inserted, release_first = threading.Event(), threading.Event()
    results, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = send("First change")
                first_inserted.set()
                release_first.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)
        finally:
            first_inserted.set()
            connections.close_all()

    def second():
        try:
            first_inserted.wait(timeout=30)
            results["second"] = send("Second change")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inserted.wait(timeout=30)
    # Hold the first transaction open until the second one's INSERT is blocked on the
    # same unique key: that is the race (polling, bounded; no timing assertion).
    second_blocked = False
    for _ in range(300):
        if insert_is_waiting():
            second_blocked = True
            break
        time.sleep(0.05)
    release_first.set()
    for thread in threads:
        thread.join()

    assert second_blocked
    assert errors == []
    assert results["first"].pk == results["second"].pk
    assert OutboxMessage.objects.filter(dedupe_key="retry:1").count() == 1
    assert set(Region.objects.values_list("name", flat=True)) == {"First change", "Second change"}
    assert len(mail.outbox) == 1
