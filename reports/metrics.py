"""The program metrics: every figure of ``shared/spec/metrics.md``, computed in one place.

Everything is aggregated in the database (``aggregate``/``annotate`` with ``Count(filter=Q)``
and conditional expressions); the number of queries is fixed whatever the amount of data
(about twenty), and no query returns more rows than there are groups (districts,
facilitators, school years…) — except the median, which reads at most two rows.

Small-cell suppression is applied here, in :func:`_suppressed`, before any breakdown leaves
this module: pages, the PDF and the exports only ever see suppressed breakdowns.

Use :func:`compute` ``(start, end)`` → :class:`Report`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Concat, ExtractYear
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, EvaluationInvitation, Satisfaction
from fiep.schoolyear import SchoolYear, school_years_between
from fiep_requests.models import FacilitationRequest, Requester, RequestStatus
from meetings.models import Consensus, Meeting, MeetingStatus, ParticipantRole
from reports.models import DisputeStatistics

#: The requester groups reports count; adult students are counted with parents.
REQUESTER_GROUPS = ["parent", "district", "joint"]
REQUESTER_GROUP_LABELS = {
    "parent": _("Parent or adult student"),
    "district": _("School district"),
    "joint": _("Both parties jointly"),
}


def suppression_threshold():
    return settings.FIEP_SUPPRESSION_THRESHOLD


# ---------------------------------------------------------------------------------------
# Values: rates and suppressed counts
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suppressed:
    """A count hidden because it is below the threshold; shows as ``<10``."""

    threshold: int

    def __str__(self):
        return f"<{self.threshold}"


@dataclass(frozen=True)
class Rate:
    """``numerator ÷ denominator``; ``value`` is None when the denominator is 0 or the rate
    is suppressed (then the counts are hidden too)."""

    numerator: int | None
    denominator: int | None
    suppressed: bool = False

    @property
    def value(self):
        if self.suppressed or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self):
        """Whole percent, half rounded up (83 of 86 → 97), or None."""
        value = self.value
        if value is None:
            return None
        exact = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rate(numerator, denominator):
    return Rate(numerator, denominator)


def _median_days(values):
    """The median of one or two middle values (timedeltas) in days, or None."""
    days = [v.days if isinstance(v, datetime.timedelta) else v for v in values]
    if not days:
        return None
    if len(days) == 1:
        return float(days[0])
    return (days[0] + days[1]) / 2


# ---------------------------------------------------------------------------------------
# Query building blocks
# ---------------------------------------------------------------------------------------


def _school_year_expr(date_path):
    """The start year of the school year containing ``date_path`` (DB-side)."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    year = ExtractYear(date_path)
    if month == 1:
        return year
    return Case(
        When(**{f"{date_path}__month__lt": month}, then=year - V(1)),
        default=year,
        output_field=IntegerField(),
    )


def held_meetings(start, end):
    return Meeting.objects.filter(
        status=MeetingStatus.HELD, held_on__gte=start, held_on__lte=end
    ).order_by()


def period_evaluations(start, end):
    return Evaluation.objects.filter(
        meeting__status=MeetingStatus.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
    ).order_by()


def period_requests(start, end):
    return FacilitationRequest.objects.filter(
        received_on__gte=start, received_on__lte=end
    ).order_by()


def _meeting_counts(prefix=""):
    """Aggregations over held meetings (``prefix`` is the path to the meeting)."""
    consensus = f"{prefix}consensus"
    return {
        "meetings_held": Count("id"),
        "consensus_all": Count("id", filter=Q(**{consensus: Consensus.ALL})),
        "consensus_some": Count("id", filter=Q(**{consensus: Consensus.SOME})),
        "consensus_none": Count("id", filter=Q(**{consensus: Consensus.NONE})),
    }


def _evaluation_counts():
    counts = {"completed": Count("id")}
    for value in Satisfaction.values:
        counts[value] = Count("id", filter=Q(satisfaction=value))
    counts["recommend_answered"] = Count("id", filter=Q(would_recommend__isnull=False))
    counts["would_recommend"] = Count("id", filter=Q(would_recommend=True))
    return counts


def _requester_group_expr(path="requested_by"):
    return Case(
        When(**{path: Requester.ADULT_STUDENT}, then=V("parent")),
        default=F(path),
    )


def _meeting_figures(row):
    """Meeting figures (ints and Rates) from one aggregated row."""
    recorded = row["consensus_all"] + row["consensus_some"] + row["consensus_none"]
    return {
        "held": row["meetings_held"],
        "outcome_recorded": recorded,
        "outcome_not_recorded": row["meetings_held"] - recorded,
        "consensus_all": row["consensus_all"],
        "consensus_some": row["consensus_some"],
        "consensus_none": row["consensus_none"],
        "consensus": row["consensus_all"] + row["consensus_some"],
    }


def _evaluation_figures(row):
    answered = sum(row[v] for v in Satisfaction.values)
    return {
        "completed": row["completed"],
        "satisfaction_answered": answered,
        **{v: row[v] for v in Satisfaction.values},
        "satisfied_or_better": row[Satisfaction.VERY_SATISFIED] + row[Satisfaction.SATISFIED],
        "recommend_answered": row["recommend_answered"],
        "would_recommend": row["would_recommend"],
    }


def _empty_meeting_row():
    return {"meetings_held": 0, "consensus_all": 0, "consensus_some": 0, "consensus_none": 0}


def _empty_evaluation_row():
    row = dict.fromkeys(Satisfaction.values, 0)
    row.update(completed=0, recommend_answered=0, would_recommend=0)
    return row


# ---------------------------------------------------------------------------------------
# Metric objects: one compute each
# ---------------------------------------------------------------------------------------


class RequestFigures:
    """Requests received in the period, by requester group and by status (1 query)."""

    @staticmethod
    def compute(start, end):
        aggregates = {"received": Count("id")}
        for group in REQUESTER_GROUPS:
            values = ["parent", "adult_student"] if group == "parent" else [group]
            aggregates[f"by_requester_{group}"] = Count("id", filter=Q(requested_by__in=values))
        for status in RequestStatus.values:
            aggregates[f"by_status_{status}"] = Count("id", filter=Q(status=status))
        row = period_requests(start, end).aggregate(**aggregates)
        return {
            "received": row["received"],
            "by_requester": {g: row[f"by_requester_{g}"] for g in REQUESTER_GROUPS},
            "by_status": {s: row[f"by_status_{s}"] for s in RequestStatus.values},
        }


class MeetingFigures:
    """Held meetings, outcomes, consensus rates, districts and the median days (2 queries)."""

    @staticmethod
    def compute(start, end):
        meetings = held_meetings(start, end)
        row = meetings.aggregate(
            **_meeting_counts(),
            districts=Count("request__district", distinct=True),
            with_agreement=Count("id", filter=Q(request__agreed_on__isnull=False)),
        )
        figures = _meeting_figures(row)
        figures["districts"] = row["districts"]
        figures["consensus_rate"] = _rate(figures["consensus"], figures["outcome_recorded"])
        figures["full_consensus_rate"] = _rate(
            figures["consensus_all"], figures["outcome_recorded"]
        )
        figures["median_days_to_meeting"] = MedianDaysToMeeting.compute(
            meetings, row["with_agreement"]
        )
        return figures


class MedianDaysToMeeting:
    """Median of ``held_on - agreed_on`` over held meetings whose request records the day
    both parties agreed: the database orders the differences and we read the one or two
    middle rows (one query of at most two rows)."""

    @staticmethod
    def compute(meetings, count):
        if not count:
            return None
        days = ExpressionWrapper(
            F("held_on") - F("request__agreed_on"), output_field=DurationField()
        )
        middle = (count - 1) // 2
        size = 1 if count % 2 else 2
        values = (
            meetings.filter(request__agreed_on__isnull=False)
            .annotate(days=days)
            .order_by("days", "id")
            .values_list("days", flat=True)[middle : middle + size]
        )
        return _median_days(list(values))


class EvaluationFigures:
    """Evaluations of meetings held in the period, the satisfaction and recommendation
    rates, and the response rate where invitations were sent (2 queries)."""

    @staticmethod
    def compute(start, end):
        evaluations = period_evaluations(start, end)
        invited_meetings = EvaluationInvitation.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=start,
            meeting__held_on__lte=end,
        ).values("meeting_id")
        row = evaluations.aggregate(
            **_evaluation_counts(),
            completed_invited=Count("id", filter=Q(meeting_id__in=invited_meetings)),
        )
        invitations = EvaluationInvitation.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=start,
            meeting__held_on__lte=end,
        ).count()
        figures = _evaluation_figures(row)
        figures["very_satisfied_rate"] = _rate(
            figures[Satisfaction.VERY_SATISFIED], figures["satisfaction_answered"]
        )
        figures["satisfied_or_better_rate"] = _rate(
            figures["satisfied_or_better"], figures["satisfaction_answered"]
        )
        figures["recommend_rate"] = _rate(figures["would_recommend"], figures["recommend_answered"])
        figures["invitations_sent"] = invitations
        figures["completed_invited"] = row["completed_invited"]
        figures["response_rate"] = _rate(row["completed_invited"], invitations)
        return figures


class SchoolYearTrend:
    """Per school year overlapping the period (the part inside the period): requests,
    meetings, districts, consensus, satisfaction, recommendation, dispute statistics
    (4 queries). Statewide figures: not suppressed."""

    @staticmethod
    def compute(start, end):
        years = school_years_between(start, end)
        by_year_meetings = {
            r["year"]: r
            for r in held_meetings(start, end)
            .annotate(year=_school_year_expr("held_on"))
            .values("year")
            .annotate(**_meeting_counts(), districts=Count("request__district", distinct=True))
        }
        by_year_evaluations = {
            r["year"]: r
            for r in period_evaluations(start, end)
            .annotate(year=_school_year_expr("meeting__held_on"))
            .values("year")
            .annotate(**_evaluation_counts())
        }
        by_year_requests = {
            r["year"]: r["received"]
            for r in period_requests(start, end)
            .annotate(year=_school_year_expr("received_on"))
            .values("year")
            .annotate(received=Count("id"))
        }
        statistics = {
            s.start_year: s
            for s in DisputeStatistics.objects.filter(
                start_year__gte=years[0].start_year if years else 0,
                start_year__lte=years[-1].start_year if years else 0,
            )
        }
        rows = []
        previous = None
        for year in years:
            meetings = _meeting_figures(by_year_meetings.get(year.start_year, _empty_meeting_row()))
            evaluations = _evaluation_figures(
                by_year_evaluations.get(year.start_year, _empty_evaluation_row())
            )
            stats = statistics.get(year.start_year)
            row = {
                "school_year": year.label,
                "start_year": year.start_year,
                "requests_received": by_year_requests.get(year.start_year, 0),
                "meetings_held": meetings["held"],
                "districts": by_year_meetings.get(year.start_year, {}).get("districts", 0),
                "outcome_recorded": meetings["outcome_recorded"],
                "consensus": meetings["consensus"],
                "consensus_rate": _rate(meetings["consensus"], meetings["outcome_recorded"]),
                "evaluations_completed": evaluations["completed"],
                "very_satisfied_rate": _rate(
                    evaluations[Satisfaction.VERY_SATISFIED], evaluations["satisfaction_answered"]
                ),
                "recommend_rate": _rate(
                    evaluations["would_recommend"], evaluations["recommend_answered"]
                ),
                "child_complaints": stats.child_complaints if stats else None,
                "allegations": stats.allegations if stats else None,
                "mediations": stats.mediations if stats else None,
                "due_process": stats.due_process if stats else None,
            }
            row["child_complaints_change"] = _change(previous, row, "child_complaints")
            row["allegations_change"] = _change(previous, row, "allegations")
            rows.append(row)
            previous = row
        return rows


def _change(previous, row, key):
    """Year-over-year change (difference and relative), or None without both years."""
    if previous is None or previous[key] is None or row[key] is None:
        return None
    difference = row[key] - previous[key]
    return {"difference": difference, "rate": _rate(difference, previous[key])}


# ---------------------------------------------------------------------------------------
# Breakdowns (suppressed)
# ---------------------------------------------------------------------------------------

MEETING_COLUMNS = ["meetings_held", "outcome_recorded", "consensus", "consensus_rate"]
EVALUATION_COLUMNS = [
    "evaluations_completed",
    "satisfaction_answered",
    "very_satisfied",
    "very_satisfied_rate",
    "recommend_answered",
    "would_recommend",
    "recommend_rate",
]
COLUMN_LABELS = {
    "requests_received": _("Requests received"),
    "meetings_held": _("Meetings held"),
    "outcome_recorded": _("Outcome recorded"),
    "consensus": _("Consensus on some to all issues"),
    "consensus_rate": _("Consensus rate"),
    "evaluations_completed": _("Evaluations completed"),
    "satisfaction_answered": _("Answered satisfaction"),
    "very_satisfied": _("Very satisfied"),
    "very_satisfied_rate": _("Very satisfied rate"),
    "recommend_answered": _("Answered would-recommend"),
    "would_recommend": _("Would recommend"),
    "recommend_rate": _("Recommend rate"),
}
#: Each rate column and the two count columns it is computed from.
RATE_PARTS = {
    "consensus_rate": ("consensus", "outcome_recorded"),
    "very_satisfied_rate": ("very_satisfied", "satisfaction_answered"),
    "recommend_rate": ("would_recommend", "recommend_answered"),
}


@dataclass
class Breakdown:
    """One suppressed breakdown table: ``rows`` are dicts with ``key``, ``label`` and the
    ``columns`` (ints, :class:`Suppressed` or :class:`Rate`)."""

    name: str
    title: str
    key_label: str
    columns: list
    rows: list = field(default_factory=list)

    @property
    def column_labels(self):
        return [(c, COLUMN_LABELS[c]) for c in self.columns]


def _suppressed(row, columns, threshold):
    """THE suppression rule, in one place: a count below the threshold becomes
    :class:`Suppressed`, and a rate computed from a suppressed count is suppressed."""
    out = {"key": row["key"], "label": row["label"]}
    for column in columns:
        if column in RATE_PARTS:
            continue
        value = row[column]
        out[column] = Suppressed(threshold) if value < threshold else value
    for column in columns:
        if column not in RATE_PARTS:
            continue
        numerator, denominator = RATE_PARTS[column]
        hidden = isinstance(out[numerator], Suppressed) or isinstance(out[denominator], Suppressed)
        if hidden:
            out[column] = Rate(None, None, suppressed=True)
        else:
            out[column] = _rate(row[numerator], row[denominator])
    return out


def _grouped_meetings(start, end, key, label):
    rows = {}
    for r in (
        held_meetings(start, end)
        .annotate(_key=key, _label=label)
        .values("_key", "_label")
        .annotate(**_meeting_counts())
    ):
        rows[r["_key"]] = r
    return rows


def _grouped_evaluations(start, end, key, label):
    rows = {}
    for r in (
        period_evaluations(start, end)
        .annotate(_key=key, _label=label)
        .values("_key", "_label")
        .annotate(**_evaluation_counts())
    ):
        rows[r["_key"]] = r
    return rows


def _merge(meeting_rows, evaluation_rows, columns, label_of=None):
    merged = []
    for key in set(meeting_rows) | set(evaluation_rows):
        m = meeting_rows.get(key) or {**_empty_meeting_row(), "_label": None}
        e = evaluation_rows.get(key) or {**_empty_evaluation_row(), "_label": None}
        mf, ef = _meeting_figures(m), _evaluation_figures(e)
        label = (m["_label"] or e["_label"] or "").strip()
        row = {
            "key": key,
            "label": label_of(key)
            if label_of
            else (label if key is not None else None) or _("Not recorded"),
            "meetings_held": mf["held"],
            "outcome_recorded": mf["outcome_recorded"],
            "consensus": mf["consensus"],
            "evaluations_completed": ef["completed"],
            "satisfaction_answered": ef["satisfaction_answered"],
            "very_satisfied": ef[Satisfaction.VERY_SATISFIED],
            "recommend_answered": ef["recommend_answered"],
            "would_recommend": ef["would_recommend"],
        }
        merged.append(row)
    merged.sort(key=lambda r: str(r["label"]))
    return merged


def _concat(*parts):
    return Concat(*parts, output_field=CharField())


class Breakdowns:
    """Breakdowns by region, district, facilitator, requester type and respondent role
    (2 queries each, 1 for the role); every one passes through :func:`_suppressed`."""

    @staticmethod
    def compute(start, end, threshold):
        both = MEETING_COLUMNS + EVALUATION_COLUMNS
        specs = [
            (
                "region",
                _("By region"),
                _("Region"),
                ("request__district__region_id", "request__district__region__name"),
                (
                    "meeting__request__district__region_id",
                    "meeting__request__district__region__name",
                ),
            ),
            (
                "district",
                _("By district"),
                _("District"),
                ("request__district__code", "request__district__name"),
                ("meeting__request__district__code", "meeting__request__district__name"),
            ),
        ]
        breakdowns = {}
        for name, title, key_label, (mkey, mlabel), (ekey, elabel) in specs:
            rows = _merge(
                _grouped_meetings(start, end, F(mkey), F(mlabel)),
                _grouped_evaluations(start, end, F(ekey), F(elabel)),
                both,
            )
            if name == "district":
                for row in rows:
                    row["label"] = f"{row['label']} ({row['key']})"
            breakdowns[name] = Breakdown(name, title, key_label, both, rows)
        # Facilitators by name: contractors of the state, not students or families.
        rows = _merge(
            _grouped_meetings(
                start,
                end,
                F("facilitator_id"),
                _concat(F("facilitator__first_name"), V(" "), F("facilitator__last_name")),
            ),
            _grouped_evaluations(
                start,
                end,
                F("meeting__facilitator_id"),
                _concat(
                    F("meeting__facilitator__first_name"),
                    V(" "),
                    F("meeting__facilitator__last_name"),
                ),
            ),
            both,
        )
        breakdowns["facilitator"] = Breakdown(
            "facilitator", _("By facilitator"), _("Facilitator"), both, rows
        )
        # Requester type: requests received in the period plus meeting/evaluation figures.
        requester_columns = ["requests_received", *both]
        rows = _merge(
            _grouped_meetings(start, end, _requester_group_expr("request__requested_by"), V("")),
            _grouped_evaluations(
                start, end, _requester_group_expr("meeting__request__requested_by"), V("")
            ),
            both,
            label_of=lambda key: REQUESTER_GROUP_LABELS.get(key, key),
        )
        received = {
            r["_key"]: r["n"]
            for r in period_requests(start, end)
            .annotate(_key=_requester_group_expr())
            .values("_key")
            .annotate(n=Count("id"))
        }
        missing = [g for g in REQUESTER_GROUPS if received.get(g)]
        rows += _merge(
            {g: {**_empty_meeting_row(), "_label": None} for g in missing},
            {},
            both,
            label_of=lambda key: REQUESTER_GROUP_LABELS.get(key, key),
        )
        by_key = {}
        for row in rows:
            by_key.setdefault(row["key"], row)
        rows = [by_key[g] for g in REQUESTER_GROUPS if g in by_key]
        for row in rows:
            row["requests_received"] = received.get(row["key"], 0)
        breakdowns["requester"] = Breakdown(
            "requester", _("By who asked"), _("Requested by"), requester_columns, rows
        )
        # Respondent role: evaluations only.

        roles = dict(ParticipantRole.choices)
        rows = _merge(
            {},
            _grouped_evaluations(start, end, F("respondent_role"), V("")),
            EVALUATION_COLUMNS,
            label_of=lambda key: roles.get(key, key),
        )
        breakdowns["role"] = Breakdown(
            "role", _("By respondent role"), _("Respondent role"), EVALUATION_COLUMNS, rows
        )
        for breakdown in breakdowns.values():
            breakdown.rows = [_suppressed(r, breakdown.columns, threshold) for r in breakdown.rows]
        return breakdowns


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


@dataclass
class Report:
    """Every figure for the inclusive period ``start``..``end``."""

    start: datetime.date
    end: datetime.date
    school_years: list
    requests: dict
    meetings: dict
    evaluations: dict
    by_school_year: list
    breakdowns: dict
    threshold: int

    @property
    def school_year_labels(self):
        return [y.label for y in self.school_years]

    @property
    def single_school_year(self):
        """The school year when the period is exactly one, else None."""
        if len(self.school_years) == 1:
            year = self.school_years[0]
            if year.start == self.start and year.end == self.end:
                return year
        return None


def compute(start, end):
    """All figures for the inclusive date range ``start``..``end`` (dates)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    threshold = suppression_threshold()
    return Report(
        start=start,
        end=end,
        school_years=school_years_between(start, end),
        requests=RequestFigures.compute(start, end),
        meetings=MeetingFigures.compute(start, end),
        evaluations=EvaluationFigures.compute(start, end),
        by_school_year=SchoolYearTrend.compute(start, end),
        breakdowns=Breakdowns.compute(start, end, threshold),
        threshold=threshold,
    )


def compute_school_year(year: SchoolYear):
    return compute(year.start, year.end)
