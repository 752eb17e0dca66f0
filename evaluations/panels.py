"""The evaluations box on the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def staff_panels(request):
    user = request.user
    if user.has_perm("evaluations.view_tracking"):
        year = selectors.current_school_year()
        totals = selectors.tracking_totals(start=year.start, end=year.end)
        return [
            (
                "evaluations/_panel.html",
                {
                    "key": "staff",
                    "title": _("Evaluations"),
                    "year": year,
                    "totals": totals,
                    "links": [(_("Evaluation responses"), reverse("evaluations:tracking"))],
                },
            )
        ]
    if user.has_perm("evaluations.view_own_feedback"):
        return [
            (
                "evaluations/_panel.html",
                {
                    "key": "facilitator",
                    "title": _("Evaluations"),
                    "links": [(_("My feedback"), reverse("evaluations:my-feedback"))],
                },
            )
        ]
    return []
