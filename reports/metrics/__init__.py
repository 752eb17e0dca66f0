"""The program metrics: every figure of ``shared/spec/metrics.md``, computed in one place.

One module per figure family, plain functions:

| module | figures |
|---|---|
| ``periods`` | what belongs to a period (meetings held, their evaluations, requests received) |
| ``requesters`` | requests received; THE requester-group rule (adult students count as parents) |
| ``meetings`` | meetings held, outcomes, consensus rates, districts, median days to meeting |
| ``evaluations`` | evaluations completed, satisfaction, would recommend, response rate |
| ``trends`` | the same per school year, with dispute statistics and their change |
| ``breakdowns`` | by region, district, facilitator, who asked, respondent role — suppressed |
| ``values`` | ``Rate``, ``Suppressed``, the median, the year-over-year change |
| ``parts`` | the additive counts of one segment (part of one school year), summed |
| ``cache`` | the stored counts of closed school years, and their invalidation |
| ``report`` | ``compute(start, end)`` → ``Report``: all of the above |

Everything is aggregated in the database (``aggregate``/``annotate`` with
``Count(filter=Q)`` and conditional expressions), per school-year segment (``parts``):
``compute`` makes a fixed number of queries whatever the amount of data (4 per segment
counted live on PostgreSQL, 6 on SQLite; closed school years come from the stored
counts, ``cache``), and no query returns more rows than there are groups (on PostgreSQL
districts + facilitators + requester groups + roles or days-to-meeting values, with
grouping sets; on SQLite districts × facilitators × requester groups of the segment).
"""

from .breakdowns import COLUMN_LABELS, Breakdown
from .report import Report, compute, compute_school_year, district_row
from .requesters import REQUESTER_GROUP_LABELS, REQUESTER_GROUP_MEMBERS, REQUESTER_GROUPS
from .values import Rate, Suppressed, suppression_threshold

__all__ = [
    "COLUMN_LABELS",
    "REQUESTER_GROUPS",
    "REQUESTER_GROUP_LABELS",
    "REQUESTER_GROUP_MEMBERS",
    "Breakdown",
    "Rate",
    "Report",
    "Suppressed",
    "compute",
    "compute_school_year",
    "district_row",
    "suppression_threshold",
]
