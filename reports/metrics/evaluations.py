"""Evaluation figures: completed evaluations, satisfaction, would-recommend, response rate."""

from django.db.models import Count, Q

from evaluations.models import Satisfaction

from .values import Rate

#: What each evaluation figure counts (spec: "very satisfied rate", "satisfied or better
#: rate", "recommend rate"). The counts and the records lists (``records.py``) use these.
SATISFACTION_ANSWERED = tuple(Satisfaction.values)
SATISFIED_OR_BETTER = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
RECOMMEND_ANSWERED = Q(would_recommend__isnull=False)
WOULD_RECOMMEND = Q(would_recommend=True)


def satisfaction_in(values):
    """``Q`` for the evaluations whose satisfaction answer is one of ``values``."""
    return Q(satisfaction__in=values)


def evaluation_counts():
    """Aggregations over evaluations: completed, each satisfaction answer, recommend."""
    counts = {"completed": Count("id")}
    for value in Satisfaction.values:
        counts[value] = Count("id", filter=satisfaction_in((value,)))
    counts["recommend_answered"] = Count("id", filter=RECOMMEND_ANSWERED)
    counts["would_recommend"] = Count("id", filter=WOULD_RECOMMEND)
    return counts


def empty_evaluation_row():
    row = dict.fromkeys(SATISFACTION_ANSWERED, 0)
    row.update(completed=0, recommend_answered=0, would_recommend=0)
    return row


def evaluation_row_figures(row):
    """Evaluation counts from one row aggregated with :func:`evaluation_counts`."""
    answered = sum(row[v] for v in SATISFACTION_ANSWERED)
    return {
        "completed": row["completed"],
        "satisfaction_answered": answered,
        **{v: row[v] for v in SATISFACTION_ANSWERED},
        "satisfied_or_better": row[Satisfaction.VERY_SATISFIED] + row[Satisfaction.SATISFIED],
        "recommend_answered": row["recommend_answered"],
        "would_recommend": row["would_recommend"],
    }


def evaluation_rates(figures):
    """The very satisfied and the would-recommend rates of one set of evaluation counts."""
    return {
        "very_satisfied_rate": Rate(
            figures[Satisfaction.VERY_SATISFIED], figures["satisfaction_answered"]
        ),
        "recommend_rate": Rate(figures["would_recommend"], figures["recommend_answered"]),
    }


def evaluation_figures(merged):
    """Evaluations of meetings held in the period, the satisfaction and recommendation
    rates, and the response rate where invitations were sent, from summed segment counts
    (``parts.merged_parts``)."""
    row = merged["totals"]
    sent = merged["invitations_sent"]
    figures = evaluation_row_figures(row)
    rates = evaluation_rates(figures)
    figures["very_satisfied_rate"] = rates["very_satisfied_rate"]
    figures["satisfied_or_better_rate"] = Rate(
        figures["satisfied_or_better"], figures["satisfaction_answered"]
    )
    figures["recommend_rate"] = rates["recommend_rate"]
    figures["invitations_sent"] = sent
    figures["completed_invited"] = row["completed_invited"]
    figures["response_rate"] = Rate(row["completed_invited"], sent)
    return figures
