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

On PostgreSQL the meetings and the evaluations of a segment are each read in **one**
statement that groups them by every key at once (``GROUP BY GROUPING SETS``: district,
facilitator, requester group, days to meeting or respondent role, and the whole segment),
so the database returns one row per key, not one per combination of keys
(:func:`_grouping_sets_rows`; 4 queries a segment). The ORM has no API for grouping sets:
the helper compiles the ORM's own grouped query and rewrites only its ``GROUP BY``.
SQLite has no grouping sets: there the meetings and the evaluations are each scanned once
grouped by district, facilitator and requester group together and rolled up in Python,
with a second grouping of evaluations by role and one of meetings by days (6 queries).
Both give identical parts (``tests/reports/test_metrics.py`` compares them on PostgreSQL).
"""

import base64
import datetime
from array import array
from operator import add

from django.db import connections
from django.db.models import Count, F, Func, IntegerField, Q

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
HELD = COUNTS[0]
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


def _meeting_aggregates():
    return {**meeting_counts(), "with_agreement": Count("id", filter=AGREED)}


def _evaluation_aggregates(invitations):
    return {
        **evaluation_counts(),
        "completed_invited": Count("id", filter=Q(meeting_id__in=invitations.values("meeting_id"))),
    }


def _keys(path=""):
    """The keys of the district, facilitator and requester-group groupings of the rows at
    ``path`` (the meeting)."""
    return {
        "district": F(f"{path}request__district_id"),
        "facilitator": F(f"{path}facilitator_id"),
        "requester": requester_group_expr(f"{path}request__requested_by"),
    }


def segment_parts(start, end, *, grouping_sets=None):
    """Every part of the segment ``start``..``end`` (inside one school year), counted in
    the database: with ``grouping_sets`` (the default on PostgreSQL) in 4 queries
    (requests, meetings, evaluations, invitations), else in 6 (:func:`_rolled_up`)."""
    if grouping_sets is None:
        grouping_sets = _has_grouping_sets(connections[held_meetings(start, end).db])
    if not grouping_sets:
        return _rolled_up(start, end)
    requests = period_requests(start, end).aggregate(**request_counts())
    invitations = _invitations(start, end)
    width = len(COUNTS)
    totals = [0] * width
    groupings = {name: {} for name in GROUPINGS}
    histogram = {}
    for queryset, keys, names in (
        (
            held_meetings(start, end),
            {**_keys(), "days": DAYS_TO_MEETING},
            _meeting_aggregates(),
        ),
        (
            period_evaluations(start, end),
            {**_keys("meeting__"), "role": F("respondent_role")},
            _evaluation_aggregates(invitations),
        ),
    ):
        where = [COUNTS.index(name) for name in names]
        for grouping, key, counts in _grouping_sets_rows(queryset, keys, names):
            if grouping is None:
                row = totals
            elif grouping == "days":
                if key is not None:
                    days = _days(key)
                    histogram[days] = histogram.get(days, 0) + counts[0]
                continue
            else:
                row = groupings[grouping].get(key)
                if row is None:
                    row = groupings[grouping][key] = [0] * width
            for target, value in zip(where, counts, strict=True):
                row[target] = value
    return _parts(requests, totals, invitations.count(), histogram, groupings)


def _parts(requests, totals, sent, histogram, groupings):
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


def _has_grouping_sets(connection):
    """PostgreSQL, with Django's default client-side parameter binding: the keys in
    ``GROUPING(…)`` must be written exactly as in the select list, values included (with
    server-side binding each would be a different ``$n`` parameter)."""
    options = connection.settings_dict.get("OPTIONS", {})
    return connection.vendor == "postgresql" and not options.get("server_side_binding")


class _Grouping(Func):
    """PostgreSQL's ``GROUPING(key, …)``: one bit a key, the first key the highest, set
    when the row is *not* grouped by that key. An aggregate for the ORM: never grouped by."""

    function = "GROUPING"
    output_field = IntegerField()
    contains_aggregate = True

    def get_group_by_cols(self):
        return []


_GROUP_BY = " GROUP BY "


def _grouping_sets_rows(queryset, keys, aggregates):
    """``[(key name or None, key value, [aggregate values …]), …]``: ``queryset`` grouped
    by each of ``keys`` (``{name: expression}``) alone and by nothing (name None) in one
    statement, ``GROUP BY GROUPING SETS ((key 1), (key 2), …, ())`` (PostgreSQL only).

    The ORM's SQL of ``queryset.values(*keys).annotate(GROUPING(*keys), *aggregates)`` is
    compiled as usual (it ends ``GROUP BY 1, 2, …``: the keys by their place in the
    select list) and only that clause is rewritten."""
    names = list(keys)
    grouped = queryset.values(**{f"_{n}": e for n, e in keys.items()}).annotate(
        _grouping=_Grouping(*keys.values()), **aggregates
    )
    sql, params = grouped.query.sql_with_params()
    head, found, tail = sql.rpartition(_GROUP_BY)
    places = [str(i) for i in range(1, len(names) + 1)]
    if not found or tail != ", ".join(places):
        raise NotImplementedError(f"unexpected GROUP BY of a grouped query: {tail!r}")
    sets = ", ".join([*(f"({place})" for place in places), "()"])
    sql = f"{head}{_GROUP_BY}GROUPING SETS ({sets})"
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    if columns[: len(names)] != [f"_{n}" for n in names] or columns[len(names)] != "_grouping":
        raise NotImplementedError(f"unexpected columns of a grouped query: {columns}")
    # GROUPING(...) of the rows grouped by key i alone: every bit set but key i's.
    every = (1 << len(names)) - 1
    set_of = {every ^ (1 << (len(names) - 1 - i)): name for i, name in enumerate(names)}
    set_of[every] = None
    width = len(names) + 1
    result = []
    for row in rows:
        grouping = set_of[row[len(names)]]
        key = None if grouping is None else row[names.index(grouping)]
        result.append((grouping, key, list(row[width:])))
    return result


def _rolled_up(start, end):
    """:func:`segment_parts` without grouping sets (SQLite): 6 queries (requests,
    meetings, days, evaluations, roles, invitations), the groupings rolled up here."""
    meetings = held_meetings(start, end)
    requests = period_requests(start, end).aggregate(**request_counts())
    meeting_cube = meetings.values(**{f"_{n}": e for n, e in _keys().items()}).annotate(
        **_meeting_aggregates()
    )
    days = DAYS_TO_MEETING
    histogram = {}
    for row in meetings.filter(AGREED).annotate(_days=days).values("_days").annotate(n=Count("id")):
        key = _days(row["_days"])
        histogram[key] = histogram.get(key, 0) + row["n"]
    invitations = _invitations(start, end)
    evaluations = period_evaluations(start, end)
    evaluation_aggregates = _evaluation_aggregates(invitations)
    evaluation_cube = evaluations.values(
        **{f"_{n}": e for n, e in _keys("meeting__").items()}
    ).annotate(**evaluation_aggregates)
    roles = evaluations.values("respondent_role").annotate(**evaluation_aggregates)
    sent = invitations.count()

    width = len(COUNTS)
    groupings = {name: {} for name in GROUPINGS}
    totals = [0] * width
    keyed = tuple((name, f"_{name}") for name in _keys())
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
    return _parts(requests, totals, sent, histogram, groupings)


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
    grouping as ``{key: {count: n}}``; without, only ``district`` as
    ``{key: {"meetings_held": n}}`` (what the districts-held figure needs)."""
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
        **(
            {
                grouping: {key: dict(zip(COUNTS, row, strict=True)) for key, row in rows.items()}
                for grouping, rows in summed.items()
            }
            if groupings
            else {"district": {key: {HELD: row[0]} for key, row in summed["district"].items()}}
        ),
    }
