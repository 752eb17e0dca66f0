"""History managers made once per model (fiep.history_managers), with the same rows."""

import pytest

from fiep_requests.models import FacilitationRequest, RequestStatus
from tests.factories import FacilitationRequestFactory


def test_the_history_manager_class_is_made_once():
    # django-simple-history builds a new class on every access; ours is reused.
    assert type(FacilitationRequest.history) is type(FacilitationRequest.history)


@pytest.mark.django_db
def test_an_instance_history_is_still_its_own_rows():
    first, second = FacilitationRequestFactory(), FacilitationRequestFactory()
    before = first.history.count()
    first.status = RequestStatus.CLOSED
    first.save()
    assert first.history.count() == before + 1
    assert first.history.first().status == RequestStatus.CLOSED
    assert second.history.count() == before
    assert FacilitationRequest.history.count() == 2 * before + 1
