"""Meeting figures: meetings held, outcomes, consensus rates, districts, days to meeting."""

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from meetings.models import Consensus

from .values import Rate, median_of_histogram

#: The outcomes each meeting figure counts (spec: "outcome recorded", "consensus rate",
#: "full consensus rate"). The counts below and the records lists (``records.py``) use
#: these, so a figure and the list of what it counts cannot drift apart.
OUTCOME_RECORDED = (Consensus.ALL, Consensus.SOME, Consensus.NONE)
CONSENSUS = (Consensus.ALL, Consensus.SOME)
FULL_CONSENSUS = (Consensus.ALL,)


def outcome_in(outcomes, prefix=""):
    """``Q`` for the held meetings (at ``prefix``) whose outcome is one of ``outcomes``."""
    return Q(**{f"{prefix}consensus__in": outcomes})


def meeting_counts(prefix=""):
    """Aggregations over held meetings (``prefix`` is the path to the meeting)."""
    return {
        "meetings_held": Count("id"),
        "consensus_all": Count("id", filter=outcome_in((Consensus.ALL,), prefix)),
        "consensus_some": Count("id", filter=outcome_in((Consensus.SOME,), prefix)),
        "consensus_none": Count("id", filter=outcome_in((Consensus.NONE,), prefix)),
    }


def empty_meeting_row():
    return {"meetings_held": 0, "consensus_all": 0, "consensus_some": 0, "consensus_none": 0}


def meeting_row_figures(row):
    """Meeting counts from one row aggregated with :func:`meeting_counts`."""
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


def districts_held(merged):
    """The ids of the districts with at least one meeting held in summed segment counts
    (``parts.merged_parts``)."""
    return {
        key for key, row in merged["district"].items() if key is not None and row["meetings_held"]
    }


def meeting_figures(merged):
    """Held meetings, outcomes, consensus rates, districts and the median days to meeting
    of summed segment counts (``parts.merged_parts``)."""
    figures = meeting_row_figures(merged["totals"])
    figures["districts"] = len(districts_held(merged))
    figures["consensus_rate"] = Rate(figures["consensus"], figures["outcome_recorded"])
    figures["full_consensus_rate"] = Rate(figures["consensus_all"], figures["outcome_recorded"])
    figures["median_days_to_meeting"] = median_of_histogram(merged["days"])
    return figures


#: The held meetings the median days to meeting is taken over.
AGREED = Q(request__agreed_on__isnull=False)
#: Days from both parties' agreement to the meeting (database side).
DAYS_TO_MEETING = ExpressionWrapper(
    F("held_on") - F("request__agreed_on"), output_field=DurationField()
)
