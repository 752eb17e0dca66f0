"""Two staff assigning at once on PostgreSQL: one wins, the other gets a clear refusal."""

import threading

import pytest
from django.db import connection, connections

from facilitators import services
from facilitators.models import Assignment
from fiep_requests.models import RequestStatus
from tests.factories import FacilitationRequestFactory, FacilitatorFactory, staff_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001  (the loser's refusal is the result)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_assign_same_request_concurrently_one_winner():
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    one, two = FacilitatorFactory(), FacilitatorFactory()
    staff = staff_user()
    results = _race(
        [
            lambda: services.facilitator_assign(request=request, facilitator=one, by=staff),
            lambda: services.facilitator_assign(request=request, facilitator=two, by=staff),
        ]
    )
    refused = [r for r in results if isinstance(r, services.AssignmentRefused)]
    won = [r for r in results if isinstance(r, Assignment)]
    assert (len(won), len(refused)) == (1, 1)
    assert "was just assigned to" in str(refused[0])
    assert Assignment.objects.filter(request=request).count() == 1


def test_assign_last_slot_concurrently_one_winner():
    facilitator = FacilitatorFactory(max_open_cases=1)
    first = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    second = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    staff = staff_user()
    results = _race(
        [
            lambda: services.facilitator_assign(request=first, facilitator=facilitator, by=staff),
            lambda: services.facilitator_assign(request=second, facilitator=facilitator, by=staff),
        ]
    )
    refused = [r for r in results if isinstance(r, services.AssignmentRefused)]
    assert len(refused) == 1
    assert "open-case limit (1 of 1)" in str(refused[0])
    assert Assignment.objects.filter(facilitator=facilitator).count() == 1
