"""Boxes the meetings app adds to the staff home (staff and facilitators)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import claims_to_review, overdue_outcomes, user_facilitator, visible_meetings


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
    return panels
