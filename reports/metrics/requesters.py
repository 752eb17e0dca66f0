"""Who asked, as the reports count it, and the "requests received" figures.

THE requester-group rule lives here and only here: an adult student is counted with
parents. Every count by requester (the totals, the by-year rows, the "by who asked"
breakdown) is built from :data:`REQUESTER_GROUP_MEMBERS`.
"""

from django.db.models import Case, Count, F, Q, When
from django.db.models import Value as V
from django.utils.translation import gettext_lazy as _

from fiep_requests.models import Requester, RequestStatus

from .periods import period_requests

#: Each requester group the reports show and the ``requested_by`` values counted in it.
REQUESTER_GROUP_MEMBERS = {
    "parent": (Requester.PARENT, Requester.ADULT_STUDENT),
    "district": (Requester.DISTRICT,),
    "joint": (Requester.JOINT,),
}
REQUESTER_GROUPS = list(REQUESTER_GROUP_MEMBERS)
REQUESTER_GROUP_LABELS = {
    "parent": _("Parent or adult student"),
    "district": _("School district"),
    "joint": _("Both parties jointly"),
}


def in_group(group, path="requested_by"):
    """``Q`` for the rows whose requester (at ``path``) counts in ``group``."""
    return Q(**{f"{path}__in": REQUESTER_GROUP_MEMBERS[group]})


def requester_group_expr(path="requested_by"):
    """The requester group of the row (at ``path``), computed in the database."""
    return Case(
        *(When(in_group(group, path), then=V(group)) for group in REQUESTER_GROUPS),
        default=F(path),
    )


def request_counts():
    """Aggregations over requests: received, by requester group and by status."""
    aggregates = {"received": Count("id")}
    for group in REQUESTER_GROUPS:
        aggregates[f"by_requester_{group}"] = Count("id", filter=in_group(group))
    for status in RequestStatus.values:
        aggregates[f"by_status_{status}"] = Count("id", filter=Q(status=status))
    return aggregates


def request_row_figures(row):
    """Requests received, by requester group and by status, from one row aggregated with
    :func:`request_counts` (or the sum of several)."""
    return {
        "received": row.get("received", 0),
        "by_requester": {g: row.get(f"by_requester_{g}", 0) for g in REQUESTER_GROUPS},
        "by_status": {s: row.get(f"by_status_{s}", 0) for s in RequestStatus.values},
    }


def request_figures(start, end):
    """Requests received in the period, by requester group and by status (1 query)."""
    return request_row_figures(period_requests(start, end).aggregate(**request_counts()))
