"""Calendar files (RFC 5545, RFC 5546) for meetings, built with the icalendar library.

Times are written with the TZID of ``settings.TIME_ZONE`` and a matching VTIMEZONE, so a
calendar shows the meeting at the state's wall-clock time whatever the reader's zone.
The UID is the meeting's stable ``uid``; SEQUENCE is the meeting's ``sequence``, bumped
on every change, so a calendar replaces the earlier invitation instead of adding one.
The summary names the case by reference, never the student (feeds and attachments
travel outside the office).

An invitation (METHOD:REQUEST or CANCEL) is written for one reader: its SUMMARY and
DESCRIPTION are in the reader's language, with human labels ("In person", never the code
``in_person``), the date in words, 12-hour times and the zone by name. Its ORGANIZER is the
office (the sender of every message) and it has one ATTENDEE per participant with an
e-mail address, plus the facilitator as chair (RFC 5546 requires both for a REQUEST).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from fiep.models import Language
from fiep.zones import zone_name
from fiep_requests.models import MeetingFormat

from .models import MeetingStatus

PRODID = "-//FIEP Office//Facilitated IEP meetings//EN"

#: The MIME type of an invitation: the METHOD goes on the text/calendar part too, so mail
#: clients show an invitation, not a file (RFC 6047).
INVITATION_MIMETYPE = "text/calendar; method={method}"


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _format_label(meeting):
    labels = {
        MeetingFormat.IN_PERSON: _("In person"),
        MeetingFormat.VIDEO: _("Video"),
        MeetingFormat.PHONE: _("Phone"),
    }
    return labels.get(meeting.format, "")


def _when(meeting):
    """ "Tuesday, December 1, 2026, 9:30 a.m. – 11:00 a.m. Central Time", in the active
    language."""
    zone = _zone()
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    return _("%(day)s, %(date)s, %(start)s – %(end)s %(zone)s") % {
        "day": formats.date_format(starts, "l"),
        "date": formats.date_format(starts, "DATE_FORMAT"),
        "start": formats.time_format(starts, "TIME_FORMAT"),
        "end": formats.time_format(ends, "TIME_FORMAT"),
        "zone": zone_name(),
    }


def _description(meeting):
    lines = [
        _("Case: %(reference)s") % {"reference": meeting.request.reference},
        _("When: %(when)s") % {"when": _when(meeting)},
        _("Format: %(format)s") % {"format": _format_label(meeting)},
    ]
    if meeting.location:
        lines.append(_("Location or link: %(location)s") % {"location": meeting.location})
    if meeting.interpreter_language:
        lines.append(_("Interpreter: %(language)s") % {"language": meeting.interpreter_language})
    if meeting.facilitator_id:
        lines.append(_("Facilitator: %(name)s") % {"name": meeting.facilitator.full_name})
    lines.append(
        _("Questions? Call the office at %(phone)s or write to %(email)s.")
        % {"phone": settings.FIEP_OFFICE_PHONE, "email": settings.FIEP_OFFICE_EMAIL}
    )
    return "\n".join(lines)


def _address(email, name, **params):
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def _people(event, meeting):
    """ORGANIZER (the office) and one ATTENDEE per participant with e-mail and the
    facilitator (CHAIR); each address once."""
    event.add("organizer", _address(settings.FIEP_OFFICE_EMAIL, _("Facilitated IEP office")))
    seen = set()
    if meeting.facilitator_id and meeting.facilitator.email:
        seen.add(meeting.facilitator.email.strip().lower())
        event.add(
            "attendee",
            _address(
                meeting.facilitator.email,
                meeting.facilitator.full_name,
                role="CHAIR",
                partstat="ACCEPTED",
                cutype="INDIVIDUAL",
            ),
        )
    for participant in meeting.participants.all():
        email = participant.email.strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        event.add(
            "attendee",
            _address(
                participant.email,
                participant.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                cutype="INDIVIDUAL",
                rsvp="FALSE",
            ),
        )


def meeting_event(meeting, *, cancelled=False, with_people=False):
    """One VEVENT for ``meeting``, its text in the active language.

    ``with_people`` adds ORGANIZER and ATTENDEEs (invitations); a feed leaves the
    participants' addresses out.
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    zone = _zone()
    event = CalendarEvent()
    event.add("uid", f"{meeting.uid}@fiep-office")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
    event.add("dtend", timezone.localtime(meeting.ends_at, zone))
    event.add(
        "summary",
        _("Facilitated IEP meeting %(reference)s") % {"reference": meeting.request.reference},
        parameters={"LANGUAGE": language},
    )
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", _description(meeting), parameters={"LANGUAGE": language})
    if with_people:
        _people(event, meeting)
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


def _language(language):
    return language if language in Language.values else Language.ENGLISH


def invitation_method(*, cancel=False):
    return "CANCEL" if cancel else "REQUEST"


def invitation_mimetype(*, cancel=False):
    """``text/calendar; method=REQUEST`` (or CANCEL): the MIME type of the invitation."""
    return INVITATION_MIMETYPE.format(method=invitation_method(cancel=cancel))


def invitation_ics(meeting, *, cancel=False, language=Language.ENGLISH):
    """The ``.ics`` text of an invitation in ``language``: METHOD:REQUEST, or CANCEL."""
    with translation.override(_language(language)):
        cal = _calendar(invitation_method(cancel=cancel))
        cal.add_component(meeting_event(meeting, cancelled=cancel, with_people=True))
    _add_timezone(cal, [meeting])
    return cal.to_ical().decode()


def feed_ics(meetings, *, name, language=Language.ENGLISH):
    """A subscription feed (no METHOD) with every meeting that has a date, in ``language``."""
    with translation.override(_language(language)):
        cal = _calendar()
        cal.add("x-wr-calname", str(name))
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        for meeting in meetings:
            if meeting.starts_at and meeting.ends_at:
                cal.add_component(meeting_event(meeting))
    _add_timezone(cal, meetings)
    return cal.to_ical().decode()
