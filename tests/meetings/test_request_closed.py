"""A request closed before its meeting cancels the meeting; held meetings promote trials."""

import datetime

import pytest
from icalendar import Calendar

from facilitators.models import AssignmentStatus, ContractStatus
from fiep.models import OutboxMessage
from fiep_requests import services as request_services
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.models import HeldResult, MeetingChange, MeetingStatus
from tests import factories

from .conftest import PARTICIPANTS, in_days

pytestmark = pytest.mark.django_db


def _scheduled(assignment):
    start = in_days(20)
    return services.meeting_schedule(
        request=assignment.request,
        by=assignment.facilitator.user,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="in_person",
        location="District office, Room 2",
        participants=PARTICIPANTS,
    )


def _cancel_method(message):
    (attachment,) = message.attachments
    return str(Calendar.from_ical(attachment["content"])["METHOD"])


def test_withdraw_cancels_scheduled_meeting_without_moving_request_again(assignment):
    meeting = _scheduled(assignment)
    request_services.request_withdraw(request=assignment.request, reason="We agreed at school")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert meeting.cancel_reason == "We agreed at school"
    moves = list(meeting.request.status_changes.values_list("from_status", "to_status"))
    assert moves[-1] == ("scheduled", "withdrawn")
    assert meeting.request.status == RequestStatus.WITHDRAWN
    change = MeetingChange.objects.get(meeting=meeting, kind="cancelled")
    assert change.reason == "We agreed at school"
    cancelled = OutboxMessage.objects.filter(event="meeting_cancelled")
    assert cancelled.count() == 3  # two participants with e-mail and the facilitator
    assert {_cancel_method(m) for m in cancelled} == {"CANCEL"}
    # The "new date" line is for staff cancellations only.
    assert all("new date" not in m.body_text for m in cancelled)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED


def test_staff_cancel_of_scheduled_case_cancels_meeting(assignment, staff):
    meeting = _scheduled(assignment)
    request_services.request_cancel(request=assignment.request, by=staff, reason="Student moved")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "Student moved")
    assert MeetingChange.objects.get(meeting=meeting, kind="cancelled").by == staff
    assert services.reminders_send(now=in_days(19)) == 0


def test_request_closed_without_meeting_does_nothing(assignment, staff):
    request_services.request_cancel(request=assignment.request, by=staff, reason="Moved")
    assert MeetingChange.objects.count() == 0
    assert OutboxMessage.objects.filter(event="meeting_cancelled").count() == 0


def test_request_closed_after_meeting_cancelled_for_rescheduling(assignment, staff):
    meeting = _scheduled(assignment)
    services.meeting_cancel(meeting=meeting, by=staff, reason="Principal away", by_party=False)
    request_services.request_withdraw(request=assignment.request)
    meeting.refresh_from_db()
    assert meeting.sequence == 1  # not cancelled a second time
    assert MeetingChange.objects.filter(kind="cancelled").count() == 1


def test_cancel_by_party_releases_the_assignment(assignment, staff):
    meeting = _scheduled(assignment)
    services.meeting_cancel(meeting=meeting, by=staff, reason="Parent withdrew", by_party=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    assert MeetingChange.objects.filter(kind="cancelled").count() == 1


def _held_past_meeting(facilitator):
    start = in_days(-2)
    return factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def _record_held(meeting, held=HeldResult.HELD):
    return services.outcome_record(
        meeting=meeting,
        by=meeting.facilitator.user,
        held=held,
        consensus="all" if held == HeldResult.HELD else "",
    )


def test_outcome_promotes_trial_facilitator_after_enough_held_meetings(settings):
    settings.FIEP_TRIAL_FACILITATIONS = 2
    facilitator = factories.FacilitatorFactory(with_user=True, contract_status=ContractStatus.TRIAL)
    _record_held(_held_past_meeting(facilitator))
    facilitator.refresh_from_db()
    assert facilitator.contract_status == ContractStatus.TRIAL
    _record_held(_held_past_meeting(facilitator), held=HeldResult.NO_SHOW)
    facilitator.refresh_from_db()
    assert facilitator.contract_status == ContractStatus.TRIAL  # a no-show does not count
    _record_held(_held_past_meeting(facilitator))
    facilitator.refresh_from_db()
    assert facilitator.contract_status == ContractStatus.ACTIVE
