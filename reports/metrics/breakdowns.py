"""Breakdowns below statewide totals (region, district, facilitator, who asked, respondent
role), each suppressed by :func:`suppressed` before it leaves this module: pages, the PDF
and the exports only ever see suppressed breakdowns."""

from dataclasses import dataclass, field

from django.db.models import CharField, Count, F
from django.db.models import Value as V
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from evaluations.models import Satisfaction
from meetings.models import ParticipantRole

from .evaluations import empty_evaluation_row, evaluation_counts, evaluation_row_figures
from .meetings import empty_meeting_row, meeting_counts, meeting_row_figures
from .periods import held_meetings, period_evaluations, period_requests
from .requesters import REQUESTER_GROUP_LABELS, REQUESTER_GROUPS, requester_group_expr
from .values import Rate, Suppressed

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
BOTH_COLUMNS = MEETING_COLUMNS + EVALUATION_COLUMNS
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


#: The key of the row that groups the districts (facilitators) below the threshold.
OTHER = "other"


@dataclass
class Breakdown:
    """One suppressed breakdown table: ``rows`` are dicts with ``key``, ``label`` and the
    ``columns`` (ints, :class:`Suppressed` or :class:`Rate`)."""

    name: str
    title: str
    key_label: str
    columns: list
    rows: list = field(default_factory=list)
    #: ``n`` → the label of the row grouping the rows below the threshold, or None to
    #: keep every row (then small cells are only suppressed).
    group_small: object = None

    @property
    def column_labels(self):
        return [(c, COLUMN_LABELS[c]) for c in self.columns]


def count_columns(columns):
    return [c for c in columns if c not in RATE_PARTS]


def suppressed(rows, columns, threshold):
    """THE suppression rule, in one place, applied to a whole breakdown table:

    1. a count below the threshold becomes :class:`Suppressed` (primary suppression);
    2. complementary suppression: every count column adds up to a published statewide
       total, so a column with exactly one suppressed cell would give it away
       (total − the shown cells); then its smallest shown cell is suppressed too;
    3. a rate computed from a suppressed count is suppressed;
    4. a row whose every count is suppressed is left out (it would only print ``<10``).
    """
    counts = count_columns(columns)
    hidden = {(i, c) for i, row in enumerate(rows) for c in counts if row[c] < threshold}
    for column in counts:
        in_column = [i for i in range(len(rows)) if (i, column) in hidden]
        shown = [i for i in range(len(rows)) if (i, column) not in hidden]
        if len(in_column) == 1 and shown:
            hidden.add((min(shown, key=lambda i: (rows[i][column], i)), column))
    table = []
    for i, row in enumerate(rows):
        if all((i, c) in hidden for c in counts):
            continue
        out = {"key": row["key"], "label": row["label"]}
        for column in columns:
            if column in RATE_PARTS:
                numerator, denominator = RATE_PARTS[column]
                if (i, numerator) in hidden or (i, denominator) in hidden:
                    out[column] = Rate(None, None, suppressed=True)
                else:
                    out[column] = Rate(row[numerator], row[denominator])
            else:
                out[column] = Suppressed(threshold) if (i, column) in hidden else row[column]
        table.append(out)
    return table


def grouped_small(rows, columns, threshold, label_of):
    """The rows whose meetings held and evaluations completed are both below the threshold,
    when there are two or more, merged into one last row labelled ``label_of(n)`` ("37
    other districts"); the others unchanged. The merged row is suppressed like any other."""
    small = [
        r
        for r in rows
        if r.get("meetings_held", 0) < threshold and r.get("evaluations_completed", 0) < threshold
    ]
    if len(small) < 2:  # "1 other district" would hide nothing more than suppression does
        return rows
    other = {"key": OTHER, "label": label_of(len(small))}
    for column in count_columns(columns):
        other[column] = sum(r[column] for r in small)
    return [r for r in rows if not any(r is s for s in small)] + [other]


# --- grouping: one query over meetings and one over evaluations per breakdown -----------


def _grouped(queryset, counts, key, label):
    return {
        r["_key"]: r
        for r in queryset.annotate(_key=key, _label=label)
        .values("_key", "_label")
        .annotate(**counts)
    }


def _grouped_meetings(start, end, key, label):
    return _grouped(held_meetings(start, end), meeting_counts(), key, label)


def _grouped_evaluations(start, end, key, label):
    return _grouped(period_evaluations(start, end), evaluation_counts(), key, label)


def _merged(meeting_rows, evaluation_rows, label_of=None):
    """Unsuppressed rows (every count column), one per key found in either grouping,
    sorted by label."""
    merged = []
    for key in set(meeting_rows) | set(evaluation_rows):
        m = meeting_rows.get(key) or {**empty_meeting_row(), "_label": None}
        e = evaluation_rows.get(key) or {**empty_evaluation_row(), "_label": None}
        mf, ef = meeting_row_figures(m), evaluation_row_figures(e)
        if label_of:
            label = label_of(key)
        else:
            label = (m["_label"] or e["_label"] or "").strip()
            label = (label if key is not None else None) or _("Not recorded")
        merged.append(
            {
                "key": key,
                "label": label,
                "meetings_held": mf["held"],
                "outcome_recorded": mf["outcome_recorded"],
                "consensus": mf["consensus"],
                "evaluations_completed": ef["completed"],
                "satisfaction_answered": ef["satisfaction_answered"],
                "very_satisfied": ef[Satisfaction.VERY_SATISFIED],
                "recommend_answered": ef["recommend_answered"],
                "would_recommend": ef["would_recommend"],
            }
        )
    merged.sort(key=lambda r: str(r["label"]))
    return merged


def _by_path(start, end, key_path, label_expr):
    """Rows grouped by the meeting's ``key_path`` (2 queries)."""
    return _merged(
        _grouped_meetings(start, end, F(key_path), label_expr("")),
        _grouped_evaluations(start, end, F(f"meeting__{key_path}"), label_expr("meeting__")),
    )


# --- one function per breakdown ----------------------------------------------------------


def by_region(start, end):
    def region_name(prefix):
        return F(f"{prefix}request__district__region__name")

    rows = _by_path(start, end, "request__district__region_id", region_name)
    return Breakdown("region", _("By region"), _("Region"), BOTH_COLUMNS, rows)


def by_district(start, end):
    rows = _by_path(
        start, end, "request__district__code", lambda p: F(f"{p}request__district__name")
    )
    for row in rows:
        row["label"] = f"{row['label']} ({row['key']})"
    return Breakdown(
        "district",
        _("By district"),
        _("District"),
        BOTH_COLUMNS,
        rows,
        group_small=lambda n: (
            ngettext_lazy("%(n)s other district", "%(n)s other districts", "n") % {"n": n}
        ),
    )


def by_facilitator(start, end):
    """Facilitators by name: contractors of the state, not students or families."""

    def full_name(prefix):
        return Concat(
            F(f"{prefix}facilitator__first_name"),
            V(" "),
            F(f"{prefix}facilitator__last_name"),
            output_field=CharField(),
        )

    rows = _by_path(start, end, "facilitator_id", full_name)
    return Breakdown(
        "facilitator",
        _("By facilitator"),
        _("Facilitator"),
        BOTH_COLUMNS,
        rows,
        group_small=lambda n: (
            ngettext_lazy("%(n)s other facilitator", "%(n)s other facilitators", "n") % {"n": n}
        ),
    )


def by_requester(start, end):
    """Requests received in the period plus the meeting and evaluation figures, per
    requester group; a group appears when it has meetings, evaluations or requests
    (3 queries)."""

    def label_of(key):
        return REQUESTER_GROUP_LABELS.get(key, key)

    received = {
        r["_key"]: r["n"]
        for r in period_requests(start, end)
        .annotate(_key=requester_group_expr())
        .values("_key")
        .annotate(n=Count("id"))
    }
    meeting_rows = _grouped_meetings(
        start, end, requester_group_expr("request__requested_by"), V("")
    )
    for group in REQUESTER_GROUPS:
        if received.get(group) and group not in meeting_rows:
            meeting_rows[group] = {**empty_meeting_row(), "_label": None}
    rows = _merged(
        meeting_rows,
        _grouped_evaluations(
            start, end, requester_group_expr("meeting__request__requested_by"), V("")
        ),
        label_of=label_of,
    )
    by_key = {row["key"]: row for row in rows}
    rows = [by_key[g] for g in REQUESTER_GROUPS if g in by_key]
    for row in rows:
        row["requests_received"] = received.get(row["key"], 0)
    return Breakdown(
        "requester",
        _("By who asked"),
        _("Requested by"),
        ["requests_received", *BOTH_COLUMNS],
        rows,
    )


def by_role(start, end):
    """Evaluations only, by the respondent's role (1 query)."""
    roles = dict(ParticipantRole.choices)
    rows = _merged(
        {},
        _grouped_evaluations(start, end, F("respondent_role"), V("")),
        label_of=lambda key: roles.get(key, key),
    )
    return Breakdown(
        "role", _("By respondent role"), _("Respondent role"), EVALUATION_COLUMNS, rows
    )


BREAKDOWNS = [by_region, by_district, by_facilitator, by_requester, by_role]


def breakdowns(start, end, threshold):
    """Every breakdown, region first, suppressed, by name (9 queries)."""
    result = {}
    for build in BREAKDOWNS:
        breakdown = build(start, end)
        rows = breakdown.rows
        if breakdown.group_small:
            rows = grouped_small(rows, breakdown.columns, threshold, breakdown.group_small)
        breakdown.rows = suppressed(rows, breakdown.columns, threshold)
        result[breakdown.name] = breakdown
    return result


def district_row(start, end, code, threshold):
    """District ``code``'s row of the district breakdown, suppressed exactly as the
    dashboard, the PDF and the exports publish it (2 queries): the statewide table is
    built, small districts grouped and :func:`suppressed` applied, then this district's
    row is taken. A district with no row there (no meetings or evaluations, grouped with
    the other small districts, or left out because every count was below the threshold)
    gets every count ``Suppressed`` and every rate suppressed: each of its counts is below
    the threshold, and showing it would undo the grouping."""
    breakdown = by_district(start, end)
    rows = grouped_small(breakdown.rows, breakdown.columns, threshold, breakdown.group_small)
    for row in suppressed(rows, breakdown.columns, threshold):
        if row["key"] == code:
            return row
    hidden = {"key": code, "label": ""}
    for column in breakdown.columns:
        hidden[column] = (
            Rate(None, None, suppressed=True) if column in RATE_PARTS else Suppressed(threshold)
        )
    return hidden
