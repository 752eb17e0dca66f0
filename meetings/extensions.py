"""What the meetings app adds to the staff case page (registered in apps.ready)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fiep_requests.extensions import TimelineEntry

from .clock import local_zone
from .models import Meeting, MeetingChange, MeetingChangeKind
from .selectors import date_poll_table, open_date_poll, schedulable_requests


def _who(user):
    return user.display_name if user is not None else ""


def timeline_entries(case):
    """Scheduled, rescheduled, cancelled and outcome-recorded events of the case's meeting."""
    changes = MeetingChange.objects.filter(meeting__request=case).select_related("by")
    entries = []
    for change in changes:
        text = MeetingChangeKind(change.kind).label
        detail = change.reason
        if change.starts_at and change.kind != MeetingChangeKind.OUTCOME:
            when = date_format(
                timezone.localtime(change.starts_at, local_zone()), "DATETIME_FORMAT"
            )
            detail = f"{when}. {detail}".strip() if detail else when
        entries.append(
            TimelineEntry(
                at=change.at, kind="meeting", text=str(text), by=_who(change.by), detail=detail
            )
        )
    return entries


def case_panel(http_request, case):
    """The meeting section of the staff case page: summary, the next step and its link.

    An assigned case shows "Schedule the meeting" once the facilitator has accepted, and
    says it is waiting for them before that; a scheduled meeting whose day has come links
    to its outcome record.
    """
    user = http_request.user
    meeting = Meeting.objects.filter(request=case).select_related("facilitator").first()
    links = []
    waiting = ""
    if meeting is not None and user.has_perm("meetings.view_meeting", meeting):
        links.append((_("Meeting page"), reverse("meetings:detail", args=[meeting.pk])))
        if meeting.status == "scheduled" and not meeting.outcome_recorded_at:
            if user.has_perm("meetings.record_outcome", meeting):
                links.append(
                    (_("Record the outcome"), reverse("meetings:outcome", args=[meeting.pk]))
                )
            if user.has_perm("meetings.change_meeting", meeting):
                links.append((_("Reschedule"), reverse("meetings:reschedule", args=[meeting.pk])))
                links.append((_("Cancel"), reverse("meetings:cancel", args=[meeting.pk])))
    poll = parties = rows = None
    if case.status == "assigned" and user.has_perm("meetings.schedule_meeting", case):
        if schedulable_requests(user).filter(pk=case.pk).exists():  # accepted by now
            links.append((_("Schedule the meeting"), reverse("meetings:schedule", args=[case.pk])))
            if user.has_perm("meetings.find_date", case):
                links.append(
                    (_("Find a meeting date"), reverse("meetings:find-date", args=[case.pk]))
                )
                poll = open_date_poll(case)
                if poll is not None:
                    parties, rows = date_poll_table(poll)
        else:
            waiting = _("The meeting can be scheduled once the facilitator accepts the case.")
    if meeting is None and not links and not waiting:
        return None
    return (
        "meetings/_case_panel.html",
        {
            "meeting": meeting,
            "links": links,
            "waiting": waiting,
            "title": _("Meeting"),
            "poll": poll,
            "parties": parties,
            "rows": rows,
        },
    )
