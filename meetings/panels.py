"""Boxes the meetings app adds to the staff home (staff and facilitators)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .clock import when_in_words
from .selectors import (
    claims_to_review,
    district_upcoming_meetings,
    overdue_outcomes,
    user_facilitator,
    visible_meetings,
)
from .services.common import FORMAT_LABELS

#: How many upcoming meetings a district liaison's home page lists.
DISTRICT_MEETINGS_SHOWN = 25


def staff_panels(request):
    user = request.user
    panels = []
    if user.has_perm("meetings.view_calendar"):
        overdue = list(overdue_outcomes()[:20])
        panels.append(
            (
                "meetings/_panel_overdue.html",
                {
                    "title": _("Overdue meeting outcomes"),
                    "meetings": overdue,
                    "links": [
                        (_("Upcoming meetings by week"), reverse("meetings:calendar")),
                        (
                            _("Payment claims to review (%(n)s)")
                            % {"n": claims_to_review().count()},
                            reverse("meetings:claims") + "?status=submitted",
                        ),
                    ],
                },
            )
        )
    elif user.has_perm("meetings.view_my_meetings") and user_facilitator(user) is not None:
        own = visible_meetings(user)
        panels.append(
            (
                "meetings/_panel_overdue.html",
                {
                    "title": _("My meetings"),
                    "meetings": list(overdue_outcomes(meetings=own)[:20]),
                    "links": [
                        (_("My meetings and calendar feed"), reverse("meetings:mine")),
                        (_("My payment claims"), reverse("meetings:claims")),
                    ],
                },
            )
        )
    elif user.has_perm("meetings.view_district_meetings") and user.district_id is not None:
        panels.append(district_meetings_panel(user))
    return panels


def district_meetings_panel(user):
    """A district liaison's upcoming meetings of their district: when, school, format,
    facilitator and the tracking number (its case page is access-logged). No student's
    name or other student data, so the list itself writes no access-log entry."""
    meetings = list(district_upcoming_meetings(user)[: DISTRICT_MEETINGS_SHOWN + 1])
    rows = [
        {
            "reference": meeting.request.reference,
            "starts": meeting.starts_at,
            "when": when_in_words(meeting.starts_at),
            "school": meeting.request.school_name,
            "format": FORMAT_LABELS.get(meeting.format, ""),
            "facilitator": meeting.facilitator.full_name if meeting.facilitator_id else "",
        }
        for meeting in meetings[:DISTRICT_MEETINGS_SHOWN]
    ]
    return (
        "meetings/_panel_district_meetings.html",
        {
            "title": _("Upcoming meetings in %(district)s") % {"district": user.district.name},
            "rows": rows,
            "more": len(meetings) > DISTRICT_MEETINGS_SHOWN,
        },
    )
