import io

import pytest

from fiep.demo import seed as seed_core
from fiep_requests.demo import seed
from fiep_requests.models import FacilitationRequest, RequestStatus, StatusChange

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_intake_statuses_and_is_idempotent():
    seed_core(io.StringIO())
    seed(io.StringIO())
    count = FacilitationRequest.objects.count()
    seed(io.StringIO())
    assert FacilitationRequest.objects.count() == count == 16
    statuses = set(FacilitationRequest.objects.values_list("status", flat=True))
    assert statuses == {
        RequestStatus.SUBMITTED,
        RequestStatus.AWAITING_CONSENT,
        RequestStatus.UNDER_REVIEW,
        RequestStatus.APPROVED,
        RequestStatus.DENIED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    }
    for case in FacilitationRequest.objects.all():
        changes = list(case.status_changes.order_by("at", "id"))
        assert changes[-1].to_status == case.status
        assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]]
    assert StatusChange.objects.filter(to_status="submitted").count() == 16


def test_demo_seed_works_without_core_seed():
    seed(io.StringIO())
    assert FacilitationRequest.objects.count() == 16
