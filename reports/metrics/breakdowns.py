"""Breakdowns below statewide totals (region, district, facilitator, who asked, respondent
role), each suppressed by :func:`suppressed` before it leaves this module: pages, the PDF
and the exports only ever see suppressed breakdowns."""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from evaluations.models import Satisfaction
from facilitators.models import Facilitator
from fiep.models import District
from meetings.models import ParticipantRole

from .evaluations import evaluation_row_figures
from .meetings import meeting_row_figures
from .parts import COUNTS
from .requesters import REQUESTER_GROUP_LABELS, REQUESTER_GROUPS
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
    #: For a long breakdown (districts, facilitators): the largest rows and one row
    #: grouping all the others, suppressed the same way — what the PDF prints (the full
    #: table is the CSV appendix). None when the breakdown is short enough to print.
    summary_rows: list | None = None
    #: How many rows (before grouping and suppression) the full breakdown has.
    size: int = 0

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
    merged = {id(r) for r in small}
    return [r for r in rows if id(r) not in merged] + [other]


# --- rows: from the summed counts of the period's segments (``parts.merged_parts``) ------


def _row(key, label, counts):
    """A breakdown row (every count column, unsuppressed) from summed segment counts."""
    mf, ef = meeting_row_figures(counts), evaluation_row_figures(counts)
    return {
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


def _sum_rows(rows):
    total = {}
    for row in rows:
        for name, value in row.items():
            total[name] = total.get(name, 0) + value
    return total


def _not_recorded(label):
    return label or _("Not recorded")


class Labels:
    """The names of the districts (with their region now) and facilitators a breakdown
    shows, read live, so stored counts never carry an out-of-date name.

    Each list is read when a breakdown first asks for it, and only when the counts have
    a row for some district (facilitator): then every district (facilitator) is read in
    one plain query — a state has hundreds, and that is cheaper than sending the
    database the ids of the hundreds the period has counts for."""

    def __init__(self, merged):
        self._merged = merged

    def _wanted(self, grouping):
        return any(key is not None for key in self._merged.get(grouping, {}))

    @cached_property
    def districts(self):
        if not self._wanted("district"):
            return {}
        return {
            d["id"]: d
            for d in District.objects.order_by().values(
                "id", "code", "name", "region_id", "region__name"
            )
        }

    @cached_property
    def facilitators(self):
        if not self._wanted("facilitator"):
            return {}
        return {
            f["id"]: f"{f['first_name'] or ''} {f['last_name'] or ''}".strip()
            for f in Facilitator.objects.order_by().values("id", "first_name", "last_name")
        }


def _sorted(rows):
    rows.sort(key=lambda r: str(r["label"]))
    return rows


# --- one function per breakdown ----------------------------------------------------------


def other_districts(n):
    return ngettext_lazy("%(n)s other district", "%(n)s other districts", "n") % {"n": n}


def other_facilitators(n):
    return ngettext_lazy("%(n)s other facilitator", "%(n)s other facilitators", "n") % {"n": n}


def by_region(merged, labels):
    """Districts summed by the region each district belongs to now."""
    regions = {}
    for key, counts in merged["district"].items():
        district = labels.districts.get(key)
        region = (district["region_id"], district["region__name"]) if district else (None, None)
        regions.setdefault(region, []).append(counts)
    rows = [
        _row(region_id, _not_recorded(name if region_id is not None else None), _sum_rows(c))
        for (region_id, name), c in regions.items()
    ]
    return Breakdown("region", _("By region"), _("Region"), BOTH_COLUMNS, _sorted(rows))


def by_district(merged, labels):
    rows = []
    for key, counts in merged["district"].items():
        district = labels.districts.get(key) or {"code": None, "name": None}
        row = _row(district["code"], _not_recorded(district["name"]), counts)
        rows.append(row)
    rows.sort(key=lambda r: (str(r["label"]), str(r["key"])))
    for row in rows:
        row["label"] = f"{row['label']} ({row['key']})"
    return Breakdown(
        "district",
        _("By district"),
        _("District"),
        BOTH_COLUMNS,
        rows,
        group_small=other_districts,
    )


def by_facilitator(merged, labels):
    """Facilitators by name: contractors of the state, not students or families."""
    rows = [
        _row(key, _not_recorded(labels.facilitators.get(key) if key is not None else None), c)
        for key, c in merged["facilitator"].items()
    ]
    return Breakdown(
        "facilitator",
        _("By facilitator"),
        _("Facilitator"),
        BOTH_COLUMNS,
        _sorted(rows),
        group_small=other_facilitators,
    )


def by_requester(merged, labels):
    """Requests received in the period plus the meeting and evaluation figures, per
    requester group; a group appears when it has meetings, evaluations or requests."""
    received = {g: merged["requests"].get(f"by_requester_{g}", 0) for g in REQUESTER_GROUPS}
    rows = []
    for group in REQUESTER_GROUPS:
        counts = merged["requester"].get(group)
        if counts is None and not received[group]:
            continue
        row = _row(group, REQUESTER_GROUP_LABELS[group], counts or dict.fromkeys(COUNTS, 0))
        row["requests_received"] = received[group]
        rows.append(row)
    return Breakdown(
        "requester",
        _("By who asked"),
        _("Requested by"),
        ["requests_received", *BOTH_COLUMNS],
        rows,
    )


def by_role(merged, labels):
    """Evaluations only, by the respondent's role."""
    roles = dict(ParticipantRole.choices)
    rows = [_row(key, roles.get(key, key), c) for key, c in merged["role"].items()]
    return Breakdown(
        "role", _("By respondent role"), _("Respondent role"), EVALUATION_COLUMNS, _sorted(rows)
    )


BREAKDOWNS = [by_region, by_district, by_facilitator, by_requester, by_role]

#: A breakdown with more rows than this is summarised for the PDF: its largest rows and
#: one row grouping the others ("480 other districts"); the CSV appendix has them all.
SUMMARY_ROWS = 15


def summarised(rows, columns, threshold, label_of, limit=SUMMARY_ROWS):
    """The ``limit`` rows with the most meetings held (then evaluations) and one row
    summing every other row, labelled ``label_of(n)``; suppressed like any table."""
    largest = sorted(
        rows, key=lambda r: (-r.get("meetings_held", 0), -r.get("evaluations_completed", 0))
    )[:limit]
    keep = {id(r) for r in largest}
    others = [r for r in rows if id(r) not in keep]
    shown = [r for r in rows if id(r) in keep]
    if others:
        other = {"key": OTHER, "label": label_of(len(others))}
        for column in count_columns(columns):
            other[column] = sum(r[column] for r in others)
        shown.append(other)
    return suppressed(shown, columns, threshold)


def breakdowns(merged, threshold):
    """Every breakdown of the summed counts ``merged``, region first, suppressed, by name
    (2 queries: the districts' and facilitators' names)."""
    labels = Labels(merged)
    result = {}
    for build in BREAKDOWNS:
        breakdown = build(merged, labels)
        rows = breakdown.rows
        breakdown.size = len(rows)
        if breakdown.group_small:
            if len(rows) > SUMMARY_ROWS + 1:
                breakdown.summary_rows = summarised(
                    rows, breakdown.columns, threshold, breakdown.group_small
                )
            rows = grouped_small(rows, breakdown.columns, threshold, breakdown.group_small)
        breakdown.rows = suppressed(rows, breakdown.columns, threshold)
        result[breakdown.name] = breakdown
    return result
