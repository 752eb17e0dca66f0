"""Boxes the core adds to the staff home."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .letters import waiting_letters
from .models import OutboxMessage, OutboxStatus


def staff_panels(request):
    panels = _outbox_panel(request)
    if request.user.has_perm("fiep.print_letters"):
        waiting = waiting_letters().count()
        label = ngettext(
            "Letters to mail: %(n)s waiting to be printed",
            "Letters to mail: %(n)s waiting to be printed",
            waiting,
        ) % {"n": waiting}
        panels.append(
            (
                "fiep/_panel_links.html",
                {"title": _("Letters"), "links": [(label, reverse("letters"))]},
            )
        )
    links = []
    if request.user.has_perm("fiep.view_access_log"):
        links.append((_("Record of access (search)"), reverse("access-log")))
    if request.user.has_perm("fiep.view_people_with_access"):
        links.append((_("People with access to student records"), reverse("people-with-access")))
    if request.user.has_perm("fiep.change_messagewording"):
        links.append((_("Wording of messages and letters"), reverse("wording-list")))
    if request.user.has_perm("fiep.change_branding"):
        links.append((_("Logo and colours"), reverse("branding-settings")))
    if request.user.has_perm("fiep.manage_districts"):
        links.append((_("Administration (districts, users, settings)"), reverse("admin:index")))
    if links:
        panels.append(("fiep/_panel_links.html", {"title": _("Administration"), "links": links}))
    return panels


def _outbox_panel(request):
    """ "N messages not delivered" (first on the page: someone is waiting for them)."""
    if not request.user.has_perm("fiep.view_outbox"):
        return []
    count = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()
    return [("fiep/_panel_outbox.html", {"count": count})] if count else []
