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
