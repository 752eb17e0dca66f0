"""Tracking numbers stay unique when many people submit at once (PostgreSQL only:
SQLite serialises writers, so it cannot show the race)."""

import threading

import pytest
from django.db import connection, connections

from fiep_requests import services
from fiep_requests.models import FacilitationRequest
from tests.factories import DistrictFactory

from .conftest import submit_data

THREADS = 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_tracking_numbers_unique_under_concurrent_submits():
    district = DistrictFactory()
    barrier = threading.Barrier(THREADS)
    errors = []

    def submit(n):
        try:
            barrier.wait()
            services.request_submit(
                data=submit_data(district), ip=None, submission_token=f"concurrent-{n}"
            )
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(FacilitationRequest.objects.values_list("reference", flat=True))
    assert len(set(references)) == THREADS
    assert [int(r.rsplit("-", 1)[1]) for r in references] == list(range(1, THREADS + 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_same_submission_token_concurrently_creates_one():
    district = DistrictFactory()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.request_submit(
                    data=submit_data(district), ip=None, submission_token="same"
                )
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert FacilitationRequest.objects.count() == 1
    assert len({r.pk for r in results}) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retention_purges_certify_each_case_once():
    from fiep_requests.models import DestructionCertificate
    from fiep_requests.retention import student_data_purge

    from .retention_helpers import full_case

    cases = [full_case(held=False) for _ in range(3)]
    runs = 4
    barrier = threading.Barrier(runs)
    errors = []

    def purge():
        try:
            barrier.wait()
            student_data_purge()
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=purge) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    certified = [
        reference
        for certificate in DestructionCertificate.objects.all()
        for reference in certificate.case_references
    ]
    assert sorted(certified) == sorted(case.reference for case in cases)
    assert sum(c.case_count for c in DestructionCertificate.objects.all()) == 3


@pytest.mark.django_db(transaction=True)
def test_submit_queues_its_messages_after_commit_and_never_on_rollback(monkeypatch):
    """The submit's messages are written in one insert (notify_new) and queued for
    sending only once the transaction commits; a rolled-back submit queues nothing."""
    from django.db import transaction

    from fiep import notifications
    from fiep.models import OutboxMessage

    queued = []
    monkeypatch.setattr(notifications, "_queue_send", queued.append)
    district = DistrictFactory()
    with transaction.atomic():
        case = services.request_submit(data=submit_data(district), ip=None, submission_token=None)
        assert queued == []
    ids = OutboxMessage.objects.filter(case_reference=case.reference).values_list("pk", flat=True)
    assert sorted(queued) == sorted(ids) and len(queued) == 2

    queued.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.request_submit(data=submit_data(district), ip=None, submission_token=None)
        raise RuntimeError("the caller fails after the submit")
    assert queued == []
    assert FacilitationRequest.objects.count() == 1
