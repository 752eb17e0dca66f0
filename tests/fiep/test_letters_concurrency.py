"""The print batch under concurrent clicks (PostgreSQL only: SQLite serialises writers).

Two people mark the same batch mailed at once: the batch row is locked
(``select_for_update``), so one marks it and the other finds it already mailed; the
letters get one ``mailed_at``. Two people make a batch at once: every waiting letter ends
up in exactly one batch."""

import threading

import pytest
from django.db import connection, connections

from fiep.letters import batch_create, batch_mark_mailed
from fiep.models import Letter, PrintBatch
from tests.factories import staff_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def _letters(n):
    for number in range(n):
        Letter.objects.create(
            event="request_received",
            dedupe_key=f"k{number}",
            recipient_name=f"Parent {number}",
            recipient_address="1 Main St\nTown, MO 65000",
            language="en",
            subject="s",
            body_text="b",
            case_reference=f"FIEP-2026-{number:04d}",
        )


def _race(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_two_people_marking_one_batch_mailed_mark_it_once():
    _letters(5)
    first, second = staff_user(), staff_user()
    batch = batch_create(by=first)
    users = iter([first, second, first, second])
    results = _race(lambda: batch_mark_mailed(batch=batch, by=next(users)), 4)
    assert sorted(results) == [False, False, False, True]
    batch = PrintBatch.objects.get()
    assert batch.mailed_at is not None
    assert set(Letter.objects.values_list("mailed_at", flat=True)) == {batch.mailed_at}


def test_two_people_making_a_batch_at_once_put_each_letter_in_one_batch():
    _letters(20)
    staff = staff_user()
    results = _race(lambda: batch_create(by=staff), 3)
    made = [batch for batch in results if batch is not None]
    assert len(made) >= 1
    assert Letter.objects.filter(batch__isnull=True).count() == 0
    assert sum(batch.letters.count() for batch in made) == 20
    assert all(batch.letters.exists() for batch in made)  # no empty batch from a loser
    assert PrintBatch.objects.count() == len(made)
