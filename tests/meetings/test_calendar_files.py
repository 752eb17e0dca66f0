"""Calendar invitations as a mail client and a family see them (issue 14 item 12, issue 21).

Each file is read by two independent parsers, ``icalendar`` and ``vobject``: ORGANIZER and
one ATTENDEE per participant with an e-mail, METHOD on the calendar and on the MIME part,
the invitation inline and attached, and the text in the reader's language with human
labels, 12-hour times and the zone by name (never ``in_person`` or ``America/Chicago``).
"""

import datetime
import email
import re

import pytest
import vobject
from django.core import mail
from icalendar import Calendar

from fiep import services as core_services
from fiep.models import OutboxMessage
from meetings import services

from .conftest import PARTICIPANTS, local

pytestmark = pytest.mark.django_db

# A day after the 12th, so a day-first numeric date could not pass for month first.
STARTS = local(2031, 11, 20, hour=9, minute=30)


@pytest.fixture
def meeting(assignment):
    return services.meeting_schedule(
        request=assignment.request,
        by=assignment.facilitator.user,
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=1, minutes=30),
        format="in_person",
        location="District office, Room 2",
        interpreter_language="",
        participants=PARTICIPANTS,
    )


def _calendar_text(recipient, event="meeting_scheduled"):
    message = OutboxMessage.objects.get(event=event, recipient_email=recipient)
    (attachment,) = message.attachments
    return attachment["mimetype"], attachment["content"]


def _both(text):
    """The one VEVENT as read by icalendar and by vobject."""
    ical = Calendar.from_ical(text)
    (ical_event,) = ical.walk("VEVENT")
    vcal = vobject.readOne(text)
    return ical, ical_event, vcal, vcal.vevent


def _unfolded(text):
    return text.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")


def test_invitation_has_organizer_and_one_attendee_per_participant_with_email(meeting, settings):
    mimetype, text = _calendar_text("sam@example.org")
    assert mimetype == "text/calendar; method=REQUEST"
    ical, ical_event, vcal, vevent = _both(text)
    assert str(ical["METHOD"]) == "REQUEST"
    assert vcal.method.value == "REQUEST"
    organizer = f"mailto:{settings.FIEP_OFFICE_EMAIL}"
    assert str(ical_event["ORGANIZER"]) == organizer
    assert vevent.organizer.value == organizer
    expected = {
        "mailto:maria@example.org",
        "mailto:sam@example.org",
        f"mailto:{meeting.facilitator.email}",
    }
    # The student has no e-mail address: no ATTENDEE for her.
    assert {str(a) for a in ical_event["ATTENDEE"]} == expected
    assert {a.value for a in vevent.attendee_list} == expected
    roles = {a.value: a.params["ROLE"][0] for a in vevent.attendee_list}
    assert roles["mailto:maria@example.org"] == "REQ-PARTICIPANT"
    assert roles[f"mailto:{meeting.facilitator.email}"] == "CHAIR"
    names = {str(a): a.params["CN"] for a in ical_event["ATTENDEE"]}
    assert names["mailto:maria@example.org"] == "Maria Example"
    assert vevent.uid.value == f"{meeting.uid}@fiep-office"
    assert vevent.dtstart.value == STARTS


def test_invitation_in_spanish_has_spanish_text_human_labels_and_zone_name(meeting):
    _, text = _calendar_text("maria@example.org")
    _, ical_event, _, vevent = _both(text)
    summary, description = str(ical_event["SUMMARY"]), str(ical_event["DESCRIPTION"])
    assert vevent.summary.value == summary
    assert vevent.description.value == description
    assert ical_event["SUMMARY"].params["LANGUAGE"] == "es"
    assert summary == f"Reunión facilitada del IEP {meeting.request.reference}"
    assert "Formato: En persona" in description
    assert "20 de noviembre de 2031" in description
    assert "9:30 a. m. – 11:00 a. m. hora del centro" in description
    for raw in ("in_person", "America/Chicago", "Format", "Case", "Facilitated", "11/20"):
        assert not re.search(rf"\b{re.escape(raw)}\b", description + " " + summary), raw


def test_invitation_in_english_has_us_dates_and_zone_name(meeting):
    _, text = _calendar_text("sam@example.org")
    _, ical_event, _, vevent = _both(text)
    description = vevent.description.value
    assert str(ical_event["SUMMARY"]) == f"Facilitated IEP meeting {meeting.request.reference}"
    assert "Format: In person" in description
    assert "Thursday, November 20, 2031, 9:30 a.m. – 11:00 a.m. Central Time" in description
    assert "in_person" not in description and "America/" not in description


def test_cancellation_is_method_cancel_in_the_readers_language(meeting, staff):
    services.meeting_cancel(meeting=meeting, by=staff, reason="Snow day", by_party=False)
    mimetype, text = _calendar_text("maria@example.org", event="meeting_cancelled")
    assert mimetype == "text/calendar; method=CANCEL"
    ical, ical_event, vcal, vevent = _both(text)
    assert vcal.method.value == "CANCEL" == str(ical["METHOD"])
    assert vevent.status.value == "CANCELLED"
    assert "mailto:maria@example.org" in {a.value for a in vevent.attendee_list}
    assert "Formato: En persona" in vevent.description.value


def test_sent_mail_has_the_invitation_inline_with_method_and_as_a_file(meeting, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = OutboxMessage.objects.get(
        event="meeting_scheduled", recipient_email="maria@example.org"
    )
    assert core_services.outbox_deliver(message_id=message.pk)
    (sent,) = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes())
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, *files = parsed.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    inline = [p for p in alternative.get_payload() if p.get_content_type() == "text/calendar"]
    assert [p.get_param("method") for p in inline] == ["REQUEST"]
    assert inline[0].get_content_disposition() is None  # shown, not a download
    (attached,) = files
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    assert attached.get_filename() == "invitation.ics"
    assert attached.get_content_disposition() == "attachment"
    for part in (inline[0], attached):
        text = part.get_payload(decode=True).decode()
        assert vobject.readOne(text).vevent.summary.value.startswith("Reunión facilitada del IEP")


def test_feed_in_the_facilitators_language_has_no_attendees(meeting, client):
    from meetings.ics import feed_ics

    text = feed_ics([meeting], name="Reuniones", language="es")
    _, ical_event, vcal, vevent = _both(text)
    assert "ATTENDEE" not in ical_event
    assert not hasattr(vevent, "attendee")
    assert "Formato: En persona" in _unfolded(text)
    assert not re.search(r"\bin_person\b", text)
