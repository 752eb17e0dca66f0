"""Boxes the core adds to the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _


def staff_panels(request):
    links = []
    if request.user.has_perm("fiep.manage_districts"):
        links.append((_("Administration (districts, users, settings)"), reverse("admin:index")))
    if not links:
        return []
    return [("fiep/_panel_links.html", {"title": _("Administration"), "links": links})]
