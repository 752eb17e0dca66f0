"""The reports box on the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fiep.schoolyear import current_school_year

from .history.panels import history_staff_panels
from .metrics import COLUMN_LABELS, district_row, suppression_threshold


def staff_panels(request):
    panels = []
    if request.user.has_perm("reports.view_dashboard"):
        links = [
            (_("Program dashboard"), reverse("reports:dashboard")),
            (_("Report archive"), reverse("reports:runs")),
        ]
        panels.append(("fiep/_panel_links.html", {"title": _("Reports"), "links": links}))
    elif request.user.has_perm("reports.view_district_figures"):
        panels.extend(district_figures_panel(request.user))
    return panels + history_staff_panels(request)


def district_figures_panel(user):
    """A district liaison's own district's figures for the current school year: the
    district's row of the published district breakdown (the one definition of each
    figure, the same small-number suppression)."""
    if user.district_id is None:
        return []
    year = current_school_year()
    threshold = suppression_threshold()
    row = district_row(year.start, year.end, user.district.code, threshold)
    figures = [(COLUMN_LABELS[column], row[column]) for column in DISTRICT_COLUMNS]
    return [
        (
            "reports/_panel_district_figures.html",
            {
                "title": _("%(district)s: figures for %(year)s")
                % {"district": user.district.name, "year": year.label},
                "figures": figures,
                "threshold": threshold,
            },
        )
    ]


#: The figures a liaison sees, in the order of the district breakdown.
DISTRICT_COLUMNS = [
    "meetings_held",
    "outcome_recorded",
    "consensus",
    "consensus_rate",
    "evaluations_completed",
    "very_satisfied_rate",
    "recommend_rate",
]
