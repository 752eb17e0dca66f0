"""The reports box on the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .history.panels import history_staff_panels


def staff_panels(request):
    panels = []
    if request.user.has_perm("reports.view_dashboard"):
        links = [
            (_("Program dashboard"), reverse("reports:dashboard")),
            (_("Report archive"), reverse("reports:runs")),
        ]
        panels.append(("fiep/_panel_links.html", {"title": _("Reports"), "links": links}))
    return panels + history_staff_panels(request)
