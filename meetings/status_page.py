"""What the meetings app adds to the requester's private status page (connected in
``apps.ready`` to ``fiep_requests.extensions.status_page_sections``): the meeting once it
is scheduled, and the summary that can be shared with the parties once the outcome is
recorded.

The intake app sends the signal only while the link shows the case's details, so a
closed or idle link (``private_link_retired``) shows neither the meeting nor the summary.
"""

from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.formats import date_format

from fiep_requests.models import RequestStatus

from .clock import local_zone, when_in_words
from .models import Meeting, MeetingStatus
from .services.common import FORMAT_LABELS


def _is_web_link(text):
    """A video link people can click: http(s) with a host, nothing else (no
    ``javascript:``)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


def status_section(case):
    """The meeting section of the status page, or None when there is nothing to show."""
    meeting = (
        Meeting.objects.filter(request=case, imported=False).select_related("facilitator").first()
    )
    if meeting is None or meeting.starts_at is None:
        return None
    if meeting.status == MeetingStatus.CANCELLED:
        if case.status != RequestStatus.ASSIGNED:
            return None
        # Cancelled to be moved: say so, so nobody turns up on the old date.
        return (
            "meetings/_status_section.html",
            {"cancelled": True, "when": when_in_words(meeting.starts_at)},
        )
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD):
        return None
    location = meeting.location.strip()
    summary = meeting.shared_summary.strip() if meeting.outcome_recorded_at else ""
    return (
        "meetings/_status_section.html",
        {
            "cancelled": False,
            "held": meeting.status == MeetingStatus.HELD,
            "when": when_in_words(meeting.starts_at),
            "starts": meeting.starts_at,
            "held_on": meeting.held_on,
            "format_label": FORMAT_LABELS.get(meeting.format, ""),
            "location": location,
            "location_is_link": _is_web_link(location),
            "facilitator_name": meeting.facilitator.full_name if meeting.facilitator_id else "",
            "interpreter_language": meeting.interpreter_language,
            "summary": summary,
            "summary_recorded_on": (
                date_format(
                    timezone.localtime(meeting.outcome_recorded_at, local_zone()), "DATE_FORMAT"
                )
                if summary
                else ""
            ),
        },
    )
