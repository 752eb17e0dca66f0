"""Meeting figures: meetings held, outcomes, consensus rates, districts, days to meeting."""

from django.db.models import Count, Q

from meetings.models import Consensus

from .values import Rate, median_of_histogram


def meeting_counts(prefix=""):
    """Aggregations over held meetings (``prefix`` is the path to the meeting)."""
    consensus = f"{prefix}consensus"
    return {
        "meetings_held": Count("id"),
        "consensus_all": Count("id", filter=Q(**{consensus: Consensus.ALL})),
        "consensus_some": Count("id", filter=Q(**{consensus: Consensus.SOME})),
        "consensus_none": Count("id", filter=Q(**{consensus: Consensus.NONE})),
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
