"""Boxes this app adds to the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .models import AssignmentStatus, Facilitator

PANEL_LIMIT = 10


def staff_panels(request):
    user = request.user
    panels = []
    # An administrator (superuser) has every permission but no roster entry: no portal box.
    if user.has_perm("facilitators.use_portal") and Facilitator.objects.filter(user=user).exists():
        waiting = [
            c
            for c in selectors.facilitator_cases(user)[:50]
            if c.my_assignment_status == AssignmentStatus.OFFERED
        ]
        panels.append(
            (
                "facilitators/_panel.html",
                {
                    "title": _("My cases needing a response"),
                    "items": [
                        (c.reference, c.district.name, reverse("facilitators:my-case", args=[c.pk]))
                        for c in waiting[:PANEL_LIMIT]
                    ],
                    "empty": _("No case is waiting for your answer."),
                    "links": [
                        (_("My cases"), reverse("facilitators:my-cases")),
                        (_("My profile and availability"), reverse("facilitators:my-profile")),
                    ],
                },
            )
        )
    if user.has_perm("facilitators.manage_roster"):
        overdue = list(selectors.trainings_overdue()[:PANEL_LIMIT])
        offers = list(selectors.offers_awaiting_response()[:PANEL_LIMIT])
        panels.append(
            (
                "facilitators/_panel.html",
                {
                    "title": _("Facilitators: trainings overdue"),
                    "items": [
                        (
                            f.full_name,
                            _("due %(date)s") % {"date": f.continuing_due_on.isoformat()},
                            reverse("facilitators:detail", args=[f.pk]),
                        )
                        for f in overdue
                    ],
                    "empty": _("No continuing education is overdue."),
                    "links": [(_("Roster"), reverse("facilitators:roster"))],
                },
            )
        )
        panels.append(
            (
                "facilitators/_panel.html",
                {
                    "title": _("Offers awaiting the facilitator's response"),
                    "items": [
                        (
                            a.request.reference,
                            a.facilitator.full_name,
                            reverse("facilitators:suggestions", args=[a.request_id]),
                        )
                        for a in offers
                    ],
                    "empty": _("No offer is waiting."),
                    "links": [],
                },
            )
        )
    return panels
