"""Meeting figures: meetings held, outcomes, consensus rates, districts, days to meeting."""

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from meetings.models import Consensus

from .periods import held_meetings
from .values import Rate, median_days

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


def meeting_figures(start, end):
    """Held meetings, outcomes, consensus rates, districts and the median days (2 queries)."""
    meetings = held_meetings(start, end)
    row = meetings.aggregate(
        **meeting_counts(),
        districts=Count("request__district", distinct=True),
        with_agreement=Count("id", filter=AGREED),
    )
    figures = meeting_row_figures(row)
    figures["districts"] = row["districts"]
    figures["consensus_rate"] = Rate(figures["consensus"], figures["outcome_recorded"])
    figures["full_consensus_rate"] = Rate(figures["consensus_all"], figures["outcome_recorded"])
    figures["median_days_to_meeting"] = median_days_to_meeting(meetings, row["with_agreement"])
    return figures


#: The held meetings the median days to meeting is taken over.
AGREED = Q(request__agreed_on__isnull=False)
#: Days from both parties' agreement to the meeting (database side).
DAYS_TO_MEETING = ExpressionWrapper(
    F("held_on") - F("request__agreed_on"), output_field=DurationField()
)


def median_days_to_meeting(meetings, count):
    """Median of ``held_on - agreed_on`` over the ``count`` held meetings whose request
    records the day both parties agreed: the database orders the differences and we read
    the one or two middle rows (one query of at most two rows; none when ``count`` is 0)."""
    if not count:
        return None
    middle = (count - 1) // 2
    size = 1 if count % 2 else 2
    values = (
        meetings.filter(AGREED)
        .annotate(days=DAYS_TO_MEETING)
        .order_by("days", "id")
        .values_list("days", flat=True)[middle : middle + size]
    )
    return median_days(list(values))
