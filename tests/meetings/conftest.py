import datetime

import pytest
from django.utils import timezone

from fiep_requests.models import RequestStatus
from meetings.clock import local_zone
from meetings.models import MeetingStatus
from tests import factories


def local(year, month, day, hour=10, minute=0):
    """An aware datetime on the state's wall clock."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=local_zone())


def in_days(days, hour=10):
    day = timezone.localdate(timezone.now(), local_zone()) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=local_zone())


@pytest.fixture
def facilitator(db):
    return factories.FacilitatorFactory(with_user=True)


@pytest.fixture
def assignment(facilitator):
    return factories.AssignmentFactory(facilitator=facilitator)


PARTICIPANTS = [
    {"role": "parent", "name": "Maria Example", "email": "maria@example.org", "language": "es"},
    {"role": "special_educator", "name": "Sam Teacher", "email": "sam@example.org"},
    {"role": "student", "name": "Ana Example", "email": ""},
]


@pytest.fixture
def past_meeting(facilitator):
    """A meeting held two days ago with no outcome yet (request scheduled)."""
    start = in_days(-2)
    meeting = factories.MeetingFactory(
        facilitator=facilitator,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status=MeetingStatus.SCHEDULED,
    )
    factories.ParticipantFactory(meeting=meeting, role="parent")
    factories.ParticipantFactory(meeting=meeting, role="administrator")
    assert meeting.request.status == RequestStatus.SCHEDULED
    return meeting
