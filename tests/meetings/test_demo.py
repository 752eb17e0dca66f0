import io

import pytest

from fiep.demo import seed as seed_core
from fiep_requests.models import FacilitationRequest, RequestStatus
from meetings import demo
from meetings.models import ClaimStatus, Meeting, MeetingStatus, PaymentClaim
from meetings.selectors import overdue_outcomes

pytestmark = pytest.mark.django_db


def test_demo_seed_on_empty_database_covers_every_state():
    out = io.StringIO()
    seed_core(out)
    demo.seed(out)
    meetings = Meeting.objects.filter(request__narrative=demo.MARKER)
    held = meetings.filter(status=MeetingStatus.HELD)
    assert set(held.values_list("consensus", flat=True)) == {"all", "some", "none"}
    assert meetings.filter(status=MeetingStatus.NO_SHOW).exists()
    assert meetings.filter(held_result="cancelled_at_table").exists()
    assert overdue_outcomes().count() >= 2
    assert meetings.filter(status=MeetingStatus.SCHEDULED, outcome_recorded_at=None).count() >= 5
    assert set(PaymentClaim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    # Request statuses agree with the meetings.
    for meeting in held:
        assert meeting.request.status in {RequestStatus.HELD, RequestStatus.CLOSED}
    assert FacilitationRequest.objects.filter(
        narrative=demo.MARKER, status=RequestStatus.ASSIGNED
    ).exists()
    # A second run changes nothing.
    count = Meeting.objects.count()
    demo.seed(out)
    assert Meeting.objects.count() == count
