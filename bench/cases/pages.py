"""The case page, and the program metrics against hand-written SQL of the same figures."""

import datetime

from bench.registry import LIST, Target, case

ALL_YEARS = (datetime.date(2017, 7, 1), datetime.date(2027, 6, 30))
HAND_SQL = "metrics: hand-written SQL of the same figures, all years"


def _busiest_case(ctx):
    from django.db.models import Count

    from fiep_requests.models import FacilitationRequest

    return (
        FacilitationRequest.objects.filter(meeting__status="held")
        .annotate(n=Count("meeting__evaluations"))
        .order_by("-n", "pk")
        .values_list("reference", flat=True)
        .first()
    )


@case(
    "case page (held meeting, most evaluations)", group="pages", target=LIST, prepare=_busiest_case
)
def case_page(ctx):
    return ctx.get(f"/requests/case/{ctx.prepared}/")


@case(
    "metrics: meeting and evaluation figures, all years (ORM)",
    group="metrics",
    target=Target(vs=HAND_SQL, vs_max=1.5),
)
def metrics_orm(ctx):
    """The same figures through the metrics package: the counts of the period as one
    segment (which also counts every breakdown in the same scans), then the figures."""
    from reports.metrics.evaluations import evaluation_figures
    from reports.metrics.meetings import meeting_figures
    from reports.metrics.parts import merged_parts, segment_parts

    merged = merged_parts([segment_parts(*ALL_YEARS)])
    return meeting_figures(merged), evaluation_figures(merged)


# The hand-written SQL of every count the ORM row reads: the requests by requester and
# status; the meetings and the evaluations each in one statement grouped by every
# breakdown at once (GROUPING SETS: district, facilitator, requester group, days to
# meeting or respondent role, and the whole period: GROUPING(...) says which set a row
# belongs to); the invitations sent.
REQUESTS_SQL = """
SELECT requested_by, status, count(*)
FROM fiep_requests_facilitationrequest
WHERE received_on BETWEEN %s AND %s
GROUP BY requested_by, status
"""
REQUESTER_GROUP_SQL = (
    "CASE WHEN r.requested_by IN ('parent', 'adult_student') THEN 'parent' ELSE r.requested_by END"
)
MEETINGS_SQL = f"""
SELECT GROUPING(r.district_id, m.facilitator_id, k.requester, k.days),
       r.district_id, m.facilitator_id, k.requester, k.days,
       count(*),
       count(*) FILTER (WHERE m.consensus = 'all'),
       count(*) FILTER (WHERE m.consensus = 'some'),
       count(*) FILTER (WHERE m.consensus = 'none'),
       count(r.agreed_on)
FROM meetings_meeting m
JOIN fiep_requests_facilitationrequest r ON r.id = m.request_id
CROSS JOIN LATERAL (
  SELECT {REQUESTER_GROUP_SQL} AS requester, m.held_on - r.agreed_on AS days
) k
WHERE m.status = 'held' AND m.held_on BETWEEN %s AND %s
GROUP BY GROUPING SETS ((r.district_id), (m.facilitator_id), (k.requester), (k.days), ())
"""
EVALUATIONS_SQL = f"""
SELECT GROUPING(r.district_id, m.facilitator_id, k.requester, e.respondent_role),
       r.district_id, m.facilitator_id, k.requester, e.respondent_role,
       count(*),
       count(*) FILTER (WHERE e.satisfaction = 'very_satisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'satisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'dissatisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'very_dissatisfied'),
       count(e.would_recommend),
       count(*) FILTER (WHERE e.would_recommend),
       count(invited.meeting_id)
FROM evaluations_evaluation e
JOIN meetings_meeting m ON m.id = e.meeting_id
JOIN fiep_requests_facilitationrequest r ON r.id = m.request_id
LEFT JOIN (SELECT DISTINCT meeting_id FROM evaluations_evaluationinvitation) invited
       ON invited.meeting_id = e.meeting_id
CROSS JOIN LATERAL (SELECT {REQUESTER_GROUP_SQL} AS requester) k
WHERE m.status = 'held' AND m.held_on BETWEEN %s AND %s
GROUP BY GROUPING SETS ((r.district_id), (m.facilitator_id), (k.requester), (e.respondent_role), ())
"""
INVITATIONS_SQL = """
SELECT count(*)
FROM evaluations_evaluationinvitation i JOIN meetings_meeting m ON m.id = i.meeting_id
WHERE m.status = 'held' AND m.held_on BETWEEN %s AND %s
"""


def _hand_sql_rows():
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for sql in (REQUESTS_SQL, MEETINGS_SQL, EVALUATIONS_SQL, INVITATIONS_SQL):
            cursor.execute(sql, ALL_YEARS)
            rows.append(cursor.fetchall())
    return rows


def _as_merged(rows):
    """The hand-written SQL's rows in the shape of ``parts.merged_parts`` (not timed)."""
    from reports.metrics.parts import COUNTS, EVALUATION_COUNTS, MEETING_COUNTS
    from reports.metrics.requesters import REQUESTER_GROUP_MEMBERS, request_counts

    request_rows, meeting_rows, evaluation_rows, ((sent,),) = rows
    requests = dict.fromkeys(request_counts(), 0)
    for requested_by, status, n in request_rows:
        requests["received"] += n
        for group, members in REQUESTER_GROUP_MEMBERS.items():
            if requested_by in members:
                requests[f"by_requester_{group}"] += n
        requests[f"by_status_{status}"] += n
    merged = {"requests": requests, "invitations_sent": sent, "days": []}
    totals = dict.fromkeys(COUNTS, 0)
    groupings = {name: {} for name in ("district", "facilitator", "requester", "role")}
    for statement, names, last in (
        (meeting_rows, [*MEETING_COUNTS, "with_agreement"], "days"),
        (evaluation_rows, EVALUATION_COUNTS, "role"),
    ):
        sets = {0b0111: "district", 0b1011: "facilitator", 0b1101: "requester", 0b1110: last}
        for row in statement:
            grouping, keys, counts = row[0], row[1:5], dict(zip(names, row[5:], strict=True))
            if grouping == 0b1111:
                totals.update(counts)
            elif sets[grouping] == "days":
                if keys[3] is not None:
                    merged["days"].append((keys[3], counts["meetings_held"]))
            else:
                name = sets[grouping]
                key = keys[list(sets).index(grouping)]
                groupings[name].setdefault(key, dict.fromkeys(COUNTS, 0)).update(counts)
    merged["days"].sort()
    return {**merged, "totals": totals, **groupings}


def _same_figures(ctx):
    """Check (not timed) that the hand-written SQL counts what the ORM row counts."""
    from reports.metrics.parts import merged_parts, segment_parts

    orm = merged_parts([segment_parts(*ALL_YEARS)])
    hand = _as_merged(_hand_sql_rows())
    if orm != hand:
        different = [name for name in orm if orm[name] != hand.get(name)]
        raise AssertionError(f"the hand-written SQL and the ORM differ in {different}")


@case(HAND_SQL, group="metrics", prepare=_same_figures)
def metrics_sql(ctx):
    return _hand_sql_rows()
