"""Boxes the core adds to the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _


def staff_panels(request):
    links = []
    if request.user.has_perm("fiep.view_access_log"):
        links.append((_("Record of access (search)"), reverse("access-log")))
    if request.user.has_perm("fiep.view_people_with_access"):
        links.append((_("People with access to student records"), reverse("people-with-access")))
    if request.user.has_perm("fiep.manage_districts"):
        links.append((_("Administration (districts, users, settings)"), reverse("admin:index")))
    if not links:
        return []
    return [("fiep/_panel_links.html", {"title": _("Administration"), "links": links})]
