"""The history part's box on the staff home. reports/panels.py (owned by the metrics
part) adds it: ``panels += history_staff_panels(request)``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _


def history_staff_panels(request):
    links = []
    if request.user.has_perm("reports.disputes_manage"):
        links.append((_("Dispute-resolution statistics"), reverse("reports:disputes-list")))
    if request.user.has_perm("reports.history_import"):
        links.append((_("Import program history"), reverse("reports:history-import")))
    if not links:
        return []
    return [("fiep/_panel_links.html", {"title": _("Program history"), "links": links})]
