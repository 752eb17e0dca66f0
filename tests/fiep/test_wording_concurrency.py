"""Two administrators save the first wording of the same message at once (PostgreSQL
only: SQLite serialises writers, so it cannot show the race). Both find no row; the
second one's insert waits on the unique key for the first one's commit. The second save
must then change the first one's row (last save wins), never fail, and the history must
hold both versions."""

import threading

import pytest
from django.db import connection, connections, transaction

from fiep import services
from fiep.models import MessageWording
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]

KEY = {"event": "test_message", "channel": "email", "language": "es"}


def insert_is_waiting():
    """True while another session's INSERT into the wording table waits for a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE %s",
            ['INSERT INTO "fiep_messagewording"%'],
        )
        return cursor.fetchone()[0] > 0


def test_two_first_saves_at_once_both_succeed_and_the_last_wins():
    ada, bea = factories.admin_user(username="ada"), factories.admin_user(username="bea")
    first_saved, release_first = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                services.wording_save(**KEY, subject="Ada", body="Hola {{ name }}", by=ada)
                first_saved.set()
                release_first.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)
        finally:
            first_saved.set()
            connections.close_all()

    def second():
        try:
            first_saved.wait(timeout=30)
            services.wording_save(**KEY, subject="Bea", body="Buenas {{ name }}", by=bea)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_saved.wait(timeout=30)
    second_blocked = False
    for _ in range(300):  # polling, bounded; no timing assertion
        if insert_is_waiting():
            second_blocked = True
            break
        threading.Event().wait(0.05)
    release_first.set()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert second_blocked, "the second insert never waited: the race was not exercised"
    row = MessageWording.objects.get(**KEY)
    assert (row.subject, row.updated_by) == ("Bea", bea)
    history = MessageWording.history.filter(**KEY).order_by("history_date", "history_id")
    assert [(h.history_type, h.subject, h.history_user) for h in history] == [
        ("+", "Ada", ada),
        ("~", "Bea", bea),
    ]
