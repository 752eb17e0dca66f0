"""The records each headline figure counts: traceable figures (issue 17).

For every headline of the dashboard, :func:`figure_records` gives the queryset the figure
is counted over, built from the same period querysets (``periods.py``) and the same
conditions (``meetings.OUTCOME_RECORDED`` …, ``evaluations.SATISFACTION_ANSWERED`` …)
as the figure itself. For a rate the queryset is its denominator and ``numerator`` the
condition of the rows counted above the line; for a count, the queryset is what is
counted. ``tests/reports/test_records.py`` asserts, for each headline, that the list's
count equals the figure.

Only staff see these lists (``reports.trace_figures``): they name cases by reference.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Q, When
from django.db.models import Value as V
from django.utils.translation import gettext_lazy as _

from fiep.models import District
from meetings.models import MeetingStatus

from .evaluations import (
    RECOMMEND_ANSWERED,
    SATISFACTION_ANSWERED,
    SATISFIED_OR_BETTER,
    WOULD_RECOMMEND,
    satisfaction_in,
)
from .meetings import (
    AGREED,
    CONSENSUS,
    DAYS_TO_MEETING,
    FULL_CONSENSUS,
    OUTCOME_RECORDED,
    outcome_in,
)
from .periods import held_meetings, period_evaluations, period_requests

REQUESTS, MEETINGS, EVALUATIONS, DISTRICTS = "requests", "meetings", "evaluations", "districts"

#: Where each kind of record finds its district (the region and district filters).
DISTRICT_PATH = {
    REQUESTS: "district",
    MEETINGS: "request__district",
    EVALUATIONS: "meeting__request__district",
    DISTRICTS: "",
}


@dataclass
class FigureRecords:
    """The records behind one headline figure."""

    name: str
    kind: str
    #: What the figure counts (for a rate: its denominator).
    queryset: object
    #: For a rate, the rows counted in the numerator; else None.
    numerator: Q | None = None
    #: What the list says it shows.
    description: str = ""

    def rows(self):
        """The queryset with ``counted`` (True for a numerator row) when it is a rate."""
        if self.numerator is None:
            return self.queryset
        return self.queryset.annotate(
            counted=Case(When(self.numerator, then=V(True)), default=V(False))
        )

    def counts(self):
        """``(total, counted)`` in one query (``counted`` None for a count figure)."""
        aggregates = {"total": Count("pk")}
        if self.numerator is not None:
            aggregates["counted"] = Count("pk", filter=self.numerator)
        row = self.queryset.aggregate(**aggregates)
        return row["total"], row.get("counted")


def _meetings(start, end, condition=None):
    meetings = held_meetings(start, end)
    return meetings.filter(condition) if condition is not None else meetings


def _evaluations(start, end, condition=None):
    evaluations = period_evaluations(start, end)
    return evaluations.filter(condition) if condition is not None else evaluations


#: name → (kind, queryset builder, numerator, description). The names are the headline
#: names of ``reports.presentation.headline_figures``.
FIGURES = {
    "requests_received": (
        REQUESTS,
        period_requests,
        None,
        _("Requests received in the period."),
    ),
    "meetings_held": (
        MEETINGS,
        _meetings,
        None,
        _("Meetings held in the period."),
    ),
    "consensus_rate": (
        MEETINGS,
        lambda s, e: _meetings(s, e, outcome_in(OUTCOME_RECORDED)),
        outcome_in(CONSENSUS),
        _(
            "Meetings held in the period with a recorded outcome; those with consensus on "
            "some to all issues count toward the rate."
        ),
    ),
    "full_consensus_rate": (
        MEETINGS,
        lambda s, e: _meetings(s, e, outcome_in(OUTCOME_RECORDED)),
        outcome_in(FULL_CONSENSUS),
        _(
            "Meetings held in the period with a recorded outcome; those with consensus on "
            "all issues count toward the rate."
        ),
    ),
    "very_satisfied_rate": (
        EVALUATIONS,
        lambda s, e: _evaluations(s, e, satisfaction_in(SATISFACTION_ANSWERED)),
        satisfaction_in(("very_satisfied",)),
        _(
            "Evaluations of meetings held in the period that answered the satisfaction "
            'item; those answering "very satisfied" count toward the rate.'
        ),
    ),
    "satisfied_or_better_rate": (
        EVALUATIONS,
        lambda s, e: _evaluations(s, e, satisfaction_in(SATISFACTION_ANSWERED)),
        satisfaction_in(SATISFIED_OR_BETTER),
        _(
            "Evaluations of meetings held in the period that answered the satisfaction "
            'item; those answering "very satisfied" or "satisfied" count toward the rate.'
        ),
    ),
    "recommend_rate": (
        EVALUATIONS,
        lambda s, e: _evaluations(s, e, RECOMMEND_ANSWERED),
        WOULD_RECOMMEND,
        _(
            "Evaluations of meetings held in the period that answered the would-recommend "
            "item; those answering yes count toward the rate."
        ),
    ),
    "evaluations_completed": (
        EVALUATIONS,
        _evaluations,
        None,
        _("Completed evaluations of meetings held in the period."),
    ),
    "districts": (
        DISTRICTS,
        lambda s, e: District.objects.filter(
            pk__in=held_meetings(s, e).values("request__district")
        ).annotate(meetings=Count("requests__meeting", filter=_held_in(s, e))),
        None,
        _("Districts with at least one meeting held in the period."),
    ),
    "median_days_to_meeting": (
        MEETINGS,
        lambda s, e: _meetings(s, e, AGREED).annotate(days=DAYS_TO_MEETING),
        None,
        _(
            "Meetings held in the period whose request records the day both parties "
            "agreed; the median is taken over their days to meeting."
        ),
    ),
}


def _held_in(start, end):
    return Q(
        requests__meeting__status=MeetingStatus.HELD,
        requests__meeting__held_on__gte=start,
        requests__meeting__held_on__lte=end,
    )


def figure_records(name, start, end, *, region=None, district=None):
    """The records behind headline ``name`` for ``start``..``end``, narrowed to one region
    or district (ids) when given. KeyError for an unknown name."""
    kind, build, numerator, description = FIGURES[name]
    queryset = build(start, end)
    path = DISTRICT_PATH[kind]
    prefix = f"{path}__" if path else ""
    if district is not None:
        queryset = queryset.filter(**{f"{prefix}pk": district})
    if region is not None:
        queryset = queryset.filter(**{f"{prefix}region": region})
    return FigureRecords(name, kind, queryset, numerator, description)


def record_references(start, end):
    """``{headline name: [case references …]}`` for the JSON export ``--with-records``:
    the requests' or meetings' tracking numbers, an evaluation's meeting's, a district's
    LEA code. One query per headline, sorted, each reference once."""
    paths = {
        REQUESTS: "reference",
        MEETINGS: "request__reference",
        EVALUATIONS: "meeting__request__reference",
        DISTRICTS: "code",
    }
    references = {}
    for name in FIGURES:
        records = figure_records(name, start, end)
        values = records.queryset.order_by().values_list(paths[records.kind], flat=True)
        references[name] = sorted(set(values))
    return references
