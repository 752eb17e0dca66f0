import pytest

from fiep.models import Role
from meetings.models import Meeting
from meetings.signals import outcome_recorded
from tests import factories


def record_outcome(meeting):
    """What the meetings app does after recording an outcome: announce it."""
    outcome_recorded.send(sender=Meeting, meeting=meeting)


@pytest.fixture
def held_meeting(db):
    meeting = factories.MeetingFactory(held=True)
    factories.ParticipantFactory(meeting=meeting, role="parent", language="es")
    factories.ParticipantFactory(meeting=meeting, role="special_educator")
    factories.ParticipantFactory(meeting=meeting, role="student", email="")
    return meeting


@pytest.fixture
def invited_meeting(held_meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_outcome(held_meeting)
    return held_meeting


@pytest.fixture
def facilitator_user(db):
    facilitator = factories.FacilitatorFactory(with_user=True)
    return facilitator.user


@pytest.fixture
def facilitator_client(client, facilitator_user):
    client.force_login(facilitator_user)
    return client


@pytest.fixture
def liaison_client(client, district):
    client.force_login(factories.UserFactory(role=Role.DISTRICT_LIAISON, district=district))
    return client


ALL_ANSWERS = {
    "respondent_role": "parent",
    "satisfaction": "very_satisfied",
    "concerns_raised": "fully",
    "facilitator_listened": "strongly_agree",
    "facilitator_neutral": "agree",
    "facilitator_focused": "strongly_agree",
    "relationship": "improved",
    "would_recommend": "yes",
    "comments": "Helpful.",
}
