"""The requester's current step in plain words (``selectors.family_step``)."""

import pytest
from django.utils import translation

from fiep_requests.models import Requester, RequestStatus
from fiep_requests.selectors import family_step
from tests.factories import FacilitationRequestFactory

pytestmark = pytest.mark.django_db


def _step(status, requested_by=Requester.PARENT):
    return family_step(FacilitationRequestFactory.build(status=status, requested_by=requested_by))


@pytest.mark.parametrize(
    ("status", "title", "current"),
    [
        (RequestStatus.SUBMITTED, "We received your request", "Request received"),
        (
            RequestStatus.AWAITING_CONSENT,
            "Waiting for the other party to agree",
            "Agreement of both parties",
        ),
        (
            RequestStatus.UNDER_REVIEW,
            "Both parties agreed; the office is reviewing the request",
            "Review by the office",
        ),
        (
            RequestStatus.APPROVED,
            "Approved: the office is choosing a facilitator",
            "Facilitator assigned",
        ),
        (RequestStatus.ASSIGNED, "A facilitator is assigned", "Facilitator assigned"),
        (RequestStatus.SCHEDULED, "The meeting is scheduled", "Meeting scheduled"),
        (RequestStatus.HELD, "The meeting was held", "Meeting held"),
    ],
)
def test_each_open_status_has_its_words_and_its_current_step(status, title, current):
    step = _step(status)
    assert step.title == title
    assert [str(label) for label, state in step.steps if state == "current"] == [current]
    states = [state for _label, state in step.steps]
    assert states == sorted(states, key=["done", "current", "todo"].index)


def test_after_the_meeting_no_words_of_assigning_a_facilitator():
    for status in (RequestStatus.HELD, RequestStatus.CLOSED):
        step = _step(status)
        assert "assign" not in (step.title + step.explanation).lower()
        assert "choosing" not in step.explanation


def test_closed_case_has_every_step_done():
    step = _step(RequestStatus.CLOSED)
    assert step.title == "The case is closed"
    assert {state for _label, state in step.steps} == {"done"}


@pytest.mark.parametrize(
    ("status", "title"),
    [
        (RequestStatus.WITHDRAWN, "The request was withdrawn"),
        (RequestStatus.DENIED, "The request was not approved"),
        (RequestStatus.CANCELLED, "The request was closed"),
    ],
)
def test_a_request_that_ended_early_shows_no_steps_to_come(status, title):
    step = _step(status)
    assert step.title == title
    assert step.steps == []


def test_the_other_party_is_named_from_the_requesters_side():
    assert "the school district" in _step(RequestStatus.AWAITING_CONSENT).explanation
    district = _step(RequestStatus.AWAITING_CONSENT, Requester.DISTRICT)
    assert "the parent or guardian" in district.explanation


def test_a_joint_request_has_no_agreement_step_and_names_no_other_party():
    step = _step(RequestStatus.SUBMITTED, Requester.JOINT)
    assert "Agreement of both parties" not in [str(label) for label, _state in step.steps]
    assert "school district" not in step.explanation


def test_words_in_spanish():
    with translation.override("es"):
        step = _step(RequestStatus.AWAITING_CONSENT)
    assert step.title == "Esperando que la otra parte acepte"
    assert "el distrito escolar" in step.explanation
