"""The intake box on the staff home: what needs action now."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import RequestStatus
from .selectors import inbox_counts


def staff_panels(request):
    if not request.user.has_perm("fiep_requests.view_inbox"):
        return []
    counts = inbox_counts(request.user)
    inbox = reverse("fiep_requests:inbox")
    links = [(_("All requests (inbox)"), inbox)]
    if request.user.has_perm("fiep_requests.enter_request"):
        links.append((_("New request (phone, paper, fax, e-mail)"), reverse("fiep_requests:enter")))
    for status, label in [
        (RequestStatus.UNDER_REVIEW, _("Waiting for review: %(n)s")),
        (RequestStatus.AWAITING_CONSENT, _("Waiting for the other party: %(n)s")),
        (RequestStatus.APPROVED, _("Approved, waiting for a facilitator: %(n)s")),
    ]:
        links.append(
            (label % {"n": counts.get(status, 0)}, f"{inbox}?{urlencode({'status': status})}")
        )
    if request.user.has_perm("fiep_requests.view_destruction_certificates"):
        links.append(
            (_("Destruction certificates"), reverse("fiep_requests:destruction-certificates"))
        )
    return [("fiep/_panel_links.html", {"title": _("Requests"), "links": links})]
