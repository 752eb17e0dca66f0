"""The additive counts of one *segment* — a date range inside one school year — that every
figure of a report is built from, and their sum over several segments.

A report period is cut into one segment per school year it overlaps (and the trend adds
the whole earlier years). Each segment's counts are **additive**: the counts of a period
are the sums of its segments' counts, so a closed school year's counts can be stored once
(``reports.metrics.cache``) and reused; only the rules that turn counts into figures
(rates, the median, suppression) run after the sum, in one place.

What a segment holds (plain JSON, so it can be stored):

- ``totals``: the request aggregations (:func:`requesters.request_counts`), the meeting
  and evaluation counts of the whole segment, the invitations sent, the histogram of days
  from agreement to meeting (``[[days, meetings], …]``: the exact median of any set of
  segments is read from the sum of their histograms);
- ``district``, ``facilitator``, ``requester``, ``role``: keys and :data:`COUNTS` (packed,
  :func:`packed`), one row
  per district id, facilitator id, requester group and respondent role. Regions are summed
  from the districts (by each district's region *now*), labels are read live, so a renamed
  district or a district moved to another region never leaves a stored year out of date.

The meetings and the evaluations of a segment are each scanned **once** (grouped by
district, facilitator and requester group together) and rolled up in Python over those
groups; only the respondent role needs a second, small grouping of evaluations.
"""

import base64
import datetime
from array import array
from operator import add

from django.db import connections
from django.db.models import Count, F, Q

from evaluations.models import EvaluationInvitation, Satisfaction
from meetings.models import MeetingStatus

from .evaluations import evaluation_counts
from .meetings import AGREED, DAYS_TO_MEETING, meeting_counts
from .periods import held_meetings, period_evaluations, period_requests
from .requesters import request_counts, requester_group_expr

MEETING_COUNTS = ["meetings_held", "consensus_all", "consensus_some", "consensus_none"]
EVALUATION_COUNTS = [
    "completed",
    *Satisfaction.values,
    "recommend_answered",
    "would_recommend",
    "completed_invited",
]
#: The counts of every breakdown row and of the totals, in this order.
COUNTS = [*MEETING_COUNTS, "with_agreement", *EVALUATION_COUNTS]
#: The breakdown parts of a segment (keys of the rows: district id, facilitator id,
#: requester group, respondent role).
GROUPINGS = ["district", "facilitator", "requester", "role"]
#: Every part of a segment (each is one row of the cache).
PARTS = ["totals", *GROUPINGS]


def _days(value):
    return value.days if isinstance(value, datetime.timedelta) else int(value)


def _invitations(start, end):
    return EvaluationInvitation.objects.filter(
        meeting__status=MeetingStatus.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
    )


def segment_parts(start, end):
    """Every part of the segment ``start``..``end`` (inside one school year), counted in
    the database (6 queries: requests, meetings, days, evaluations, roles, invitations)."""
    meetings = held_meetings(start, end)
    requests = period_requests(start, end).aggregate(**request_counts())
    cube_keys = {
        "_district": F("request__district_id"),
        "_facilitator": F("facilitator_id"),
        "_group": requester_group_expr("request__requested_by"),
    }
    meeting_cube = meetings.values(**cube_keys).annotate(
        **meeting_counts(),
        with_agreement=Count("id", filter=AGREED),
    )
    days = DAYS_TO_MEETING
    histogram = {}
    for row in meetings.filter(AGREED).annotate(_days=days).values("_days").annotate(n=Count("id")):
        key = _days(row["_days"])
        histogram[key] = histogram.get(key, 0) + row["n"]
    invitations = _invitations(start, end)
    evaluations = period_evaluations(start, end)
    evaluation_aggregates = {
        **evaluation_counts(),
        "completed_invited": Count("id", filter=Q(meeting_id__in=invitations.values("meeting_id"))),
    }
    evaluation_cube = evaluations.values(
        _district=F("meeting__request__district_id"),
        _facilitator=F("meeting__facilitator_id"),
        _group=requester_group_expr("meeting__request__requested_by"),
    ).annotate(**evaluation_aggregates)
    roles = evaluations.values("respondent_role").annotate(**evaluation_aggregates)
    sent = invitations.count()

    width = len(COUNTS)
    groupings = {name: {} for name in GROUPINGS}
    totals = [0] * width
    keyed = (("district", "_district"), ("facilitator", "_facilitator"), ("requester", "_group"))
    for cube, names, keys in (
        (meeting_cube, MEETING_COUNTS + ["with_agreement"], keyed),
        (evaluation_cube, EVALUATION_COUNTS, keyed),
        (roles, EVALUATION_COUNTS, (("role", "respondent_role"),)),
    ):
        columns, rows = _rows(cube)
        # Each row's counts, spread over a full COUNTS vector (zeros elsewhere), then
        # added to the row of its key in each grouping: a few C-level list operations a
        # row, not one Python addition per count.
        where = [(columns.index(name), COUNTS.index(name)) for name in names]
        key_at = [(groupings[grouping], columns.index(column)) for grouping, column in keys]
        for row in rows:
            vector = [0] * width
            for source, target in where:
                vector[target] = row[source]
            for rows_by_key, at in key_at:
                key = row[at]
                current = rows_by_key.get(key)
                rows_by_key[key] = vector if current is None else list(map(add, current, vector))
            if keys is keyed:
                totals = list(map(add, totals, vector))

    parts = {
        "totals": {
            "requests": requests,
            "counts": totals,
            "invitations_sent": sent,
            "days": sorted([d, n] for d, n in histogram.items()),
        }
    }
    for grouping, rows in groupings.items():
        keys = sorted(rows, key=lambda k: (k is None, str(k)))
        parts[grouping] = packed(keys, (rows[k] for k in keys))
    return parts


def _rows(queryset):
    """``(column names, rows as tuples)`` of an aggregating ``queryset``: the ORM's own SQL,
    read without Django's per-value conversion (every column is a key or a count, which
    the database driver already gives as Python values)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def packed(keys, rows):
    """A grouping part as stored: its keys, and the counts of every row (in
    :data:`COUNTS` order) as one base64 string of 64-bit integers — read back in a
    fraction of the time the same numbers take as JSON lists."""
    flat = array("q")
    for row in rows:
        flat.extend(row)
    return {"keys": list(keys), "counts": base64.b64encode(flat.tobytes()).decode("ascii")}


def unpacked(part):
    """``[(key, counts), …]`` of a part made by :func:`packed`."""
    flat = array("q")
    flat.frombytes(base64.b64decode(part["counts"]))
    width = len(COUNTS)
    return [(key, flat[i * width : (i + 1) * width]) for i, key in enumerate(part["keys"])]


def merged_parts(segments, *, groupings=True):
    """The sum of several segments' parts: ``requests`` and ``totals`` (``{count: n}``),
    ``days`` (``[(days, n), …]``), ``invitations_sent`` and, with ``groupings``, each
    grouping as ``{key: {count: n}}``; without, only ``district`` (what the
    districts-held figure needs)."""
    request_totals, totals, days, sent = {}, [0] * len(COUNTS), {}, 0
    wanted = GROUPINGS if groupings else ["district"]
    summed = {name: {} for name in wanted}
    for parts in segments:
        total = parts["totals"]
        for name, value in total["requests"].items():
            request_totals[name] = request_totals.get(name, 0) + value
        totals = list(map(add, totals, total["counts"]))
        for d, n in total["days"]:
            days[d] = days.get(d, 0) + n
        sent += total["invitations_sent"]
        for grouping in wanted:
            rows = summed[grouping]
            for key, counts in unpacked(parts[grouping]):
                row = rows.get(key)
                rows[key] = counts if row is None else array("q", map(add, row, counts))
    return {
        "requests": request_totals,
        "totals": dict(zip(COUNTS, totals, strict=True)),
        "days": sorted(days.items()),
        "invitations_sent": sent,
        **{
            grouping: {key: dict(zip(COUNTS, row, strict=True)) for key, row in rows.items()}
            for grouping, rows in summed.items()
        },
    }
