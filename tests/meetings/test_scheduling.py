import datetime

import pytest
from django.db import connection
from icalendar import Calendar

from fiep.exceptions import ServiceError
from fiep.models import OutboxMessage
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.models import Meeting, MeetingChange, MeetingStatus

from .conftest import PARTICIPANTS, in_days

pytestmark = pytest.mark.django_db


def _schedule(assignment, by=None, days=20):
    start = in_days(days)
    return services.meeting_schedule(
        request=assignment.request,
        by=by or assignment.facilitator.user,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="in_person",
        location="District office, Room 2",
        interpreter_language="Spanish",
        participants=PARTICIPANTS,
    )


def _ics(message):
    (attachment,) = message.attachments
    assert attachment["mimetype"].startswith("text/calendar; method=")
    assert attachment["filename"].endswith(".ics")
    return Calendar.from_ical(attachment["content"])


def _event(cal):
    (event,) = cal.walk("VEVENT")
    return event


def test_schedule_creates_meeting_and_moves_request(assignment):
    meeting = _schedule(assignment)
    assignment.request.refresh_from_db()
    assert assignment.request.status == RequestStatus.SCHEDULED
    assert meeting.facilitator == assignment.facilitator
    assert meeting.participants.count() == 3
    assert meeting.sequence == 0
    assert list(meeting.changes.values_list("kind", flat=True)) == ["scheduled"]


def test_schedule_notifies_participants_with_email_and_facilitator(assignment):
    meeting = _schedule(assignment)
    messages = OutboxMessage.objects.filter(event="meeting_scheduled")
    recipients = sorted(messages.values_list("recipient_email", flat=True))
    assert recipients == sorted(
        ["maria@example.org", "sam@example.org", assignment.facilitator.email]
    )
    assert messages.get(recipient_email="maria@example.org").language == "es"
    assert messages.get(recipient_email="sam@example.org").language == "en"
    assert all(m.case_reference == meeting.request.reference for m in messages)


def test_schedule_in_spanish_for_spanish_participant(assignment):
    _schedule(assignment)
    message = OutboxMessage.objects.get(recipient_email="maria@example.org")
    assert "Reunión" in message.subject or "reunión" in message.subject
    assert "Hola" in message.body_text
    assert "Formato: En persona" in message.body_text
    assert " de 20" in message.body_text  # the date written the Spanish way ("17 de diciembre de")
    english = OutboxMessage.objects.get(recipient_email="sam@example.org")
    assert english.subject.startswith("Facilitated IEP meeting scheduled")
    assert "Format: In person" in english.body_text


def test_ics_has_time_zone_uid_sequence_and_request_method(assignment, settings):
    meeting = _schedule(assignment)
    cal = _ics(OutboxMessage.objects.filter(event="meeting_scheduled").first())
    assert str(cal["METHOD"]) == "REQUEST"
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == settings.TIME_ZONE
    event = _event(cal)
    assert event["DTSTART"].params["TZID"] == settings.TIME_ZONE
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["UID"]) == f"{meeting.uid}@fiep-office"
    assert event.decoded("SEQUENCE") == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    # The student's name never travels in the calendar file.
    assert meeting.request.student_last_name not in cal.to_ical().decode()


def test_reschedule_keeps_uid_and_increments_sequence(assignment):
    meeting = _schedule(assignment)
    new_start = in_days(25, hour=14)
    services.meeting_reschedule(
        meeting=meeting,
        by=assignment.facilitator.user,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=1),
        reason="The principal is away",
    )
    messages = OutboxMessage.objects.filter(event="meeting_rescheduled")
    assert messages.count() == 3
    event = _event(_ics(messages.first()))
    assert str(event["UID"]) == f"{meeting.uid}@fiep-office"
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == new_start
    change = MeetingChange.objects.get(kind="rescheduled")
    assert change.reason == "The principal is away"


def test_cancel_by_party_sends_cancel_and_ends_request(assignment, staff):
    meeting = _schedule(assignment)
    services.meeting_cancel(meeting=meeting, by=staff, reason="The parent withdrew", by_party=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.request.status == RequestStatus.CANCELLED
    last = meeting.request.status_changes.last()
    assert (last.reason, last.by) == ("The parent withdrew", staff)
    messages = OutboxMessage.objects.filter(event="meeting_cancelled")
    assert messages.count() == 3
    cal = _ics(messages.first())
    assert str(cal["METHOD"]) == "CANCEL"
    event = _event(cal)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{meeting.uid}@fiep-office"
    assert event.decoded("SEQUENCE") == 1


def test_cancel_for_rescheduling_returns_request_to_assigned_and_reuses_uid(assignment, staff):
    meeting = _schedule(assignment)
    services.meeting_cancel(meeting=meeting, by=staff, reason="Snow day", by_party=False)
    assignment.request.refresh_from_db()
    assert assignment.request.status == RequestStatus.ASSIGNED
    again = _schedule(assignment, by=staff, days=30)
    assert again.pk == meeting.pk
    assert again.uid == meeting.uid
    assert again.sequence == 2
    assert again.status == MeetingStatus.SCHEDULED
    assert again.cancel_reason == ""


def test_cancel_needs_a_reason(assignment, staff):
    meeting = _schedule(assignment)
    with pytest.raises(ServiceError):
        services.meeting_cancel(meeting=meeting, by=staff, reason=" ", by_party=True)


def test_schedule_refuses_past_time_and_unassigned_case(assignment):
    with pytest.raises(ServiceError):
        _schedule(assignment, days=-1)
    assignment.status = "offered"
    assignment.save()
    with pytest.raises(ServiceError):
        _schedule(assignment)


def test_schedule_twice_is_refused(assignment):
    _schedule(assignment)
    assignment.request.refresh_from_db()
    with pytest.raises(ServiceError):
        _schedule(assignment)


def test_schedule_side_effects_only_once_when_retried_messages_deduplicate(assignment):
    meeting = _schedule(assignment)
    count = OutboxMessage.objects.count()
    from meetings.services.common import notify_meeting

    notify_meeting(meeting=meeting, event="meeting_scheduled", key="scheduled:0")
    assert OutboxMessage.objects.count() == count


def test_cancel_refused_when_case_was_withdrawn(assignment, staff):
    meeting = _schedule(assignment)
    meeting.request.status = RequestStatus.WITHDRAWN
    meeting.request.save()
    with pytest.raises(ServiceError, match="no longer be changed"):
        services.meeting_cancel(meeting=meeting, by=staff, reason="x", by_party=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_scheduling_makes_one_meeting(assignment):
    import threading

    from django.db import connections

    results = []

    def attempt():
        try:
            _schedule(assignment)
            results.append("ok")
        except ServiceError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Meeting.objects.filter(request=assignment.request).count() == 1
