"""Calendar files (RFC 5545) for meetings, built with the icalendar library.

Times are written with the TZID of ``settings.TIME_ZONE`` and a matching VTIMEZONE, so a
calendar shows the meeting at the state's wall-clock time whatever the reader's zone.
The UID is the meeting's stable ``uid``; SEQUENCE is the meeting's ``sequence``, bumped
on every change, so a calendar replaces the earlier invitation instead of adding one.
The summary names the case by reference, never the student (feeds and attachments
travel outside the office).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import MeetingStatus

PRODID = "-//FIEP Office//Facilitated IEP meetings//EN"


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def meeting_event(meeting, *, cancelled=False):
    """One VEVENT for ``meeting``."""
    zone = _zone()
    event = CalendarEvent()
    event.add("uid", f"{meeting.uid}@fiep-office")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
    event.add("dtend", timezone.localtime(meeting.ends_at, zone))
    event.add("summary", f"Facilitated IEP meeting {meeting.request.reference}")
    if meeting.location:
        event.add("location", meeting.location)
    description = [f"Case {meeting.request.reference}", f"Format: {meeting.format}"]
    if meeting.interpreter_language:
        description.append(f"Interpreter: {meeting.interpreter_language}")
    event.add("description", "\n".join(description))
    if meeting.facilitator_id and meeting.facilitator.email:
        event.add("organizer", f"mailto:{meeting.facilitator.email}")
    is_cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    return event


def _add_timezone(cal, meetings):
    """Add the VTIMEZONE, covering only the years around the meetings (a short file)."""
    years = [m.starts_at.year for m in meetings if m.starts_at] or [timezone.now().year]
    cal.add_missing_timezones(
        first_date=datetime.date(min(years) - 1, 1, 1),
        last_date=datetime.date(max(years) + 2, 1, 1),
    )


def _calendar(method=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def invitation_ics(meeting, *, cancel=False):
    """The ``.ics`` text attached to an invitation: METHOD:REQUEST, or METHOD:CANCEL."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    cal.add_component(meeting_event(meeting, cancelled=cancel))
    _add_timezone(cal, [meeting])
    return cal.to_ical().decode()


def feed_ics(meetings, *, name):
    """A subscription feed (no METHOD) with every meeting that has a date."""
    cal = _calendar()
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        if meeting.starts_at and meeting.ends_at:
            cal.add_component(meeting_event(meeting))
    _add_timezone(cal, meetings)
    return cal.to_ical().decode()
