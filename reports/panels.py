"""The reports box on the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _


def staff_panels(request):
    if not request.user.has_perm("reports.view_dashboard"):
        return []
    links = [
        (_("Program dashboard"), reverse("reports:dashboard")),
        (_("Report archive"), reverse("reports:runs")),
    ]
    return [("fiep/_panel_links.html", {"title": _("Reports"), "links": links})]
