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


MEETINGS_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE m.consensus = 'all'),
       count(*) FILTER (WHERE m.consensus = 'some'),
       count(*) FILTER (WHERE m.consensus = 'none'),
       count(DISTINCT r.district_id),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY m.held_on - r.agreed_on)
FROM meetings_meeting m JOIN fiep_requests_facilitationrequest r ON r.id = m.request_id
WHERE m.status = 'held' AND m.held_on BETWEEN %s AND %s
"""
EVALUATIONS_SQL = """
WITH held AS (
  SELECT id FROM meetings_meeting WHERE status = 'held' AND held_on BETWEEN %s AND %s
), invited AS (
  SELECT DISTINCT i.meeting_id
  FROM evaluations_evaluationinvitation i JOIN held ON held.id = i.meeting_id
)
SELECT count(*),
       count(*) FILTER (WHERE e.satisfaction = 'very_satisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'satisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'dissatisfied'),
       count(*) FILTER (WHERE e.satisfaction = 'very_dissatisfied'),
       count(e.would_recommend),
       count(*) FILTER (WHERE e.would_recommend),
       count(*) FILTER (WHERE e.meeting_id IN (SELECT meeting_id FROM invited)),
       (SELECT count(*) FROM evaluations_evaluationinvitation i JOIN held ON held.id = i.meeting_id)
FROM evaluations_evaluation e JOIN held ON held.id = e.meeting_id
"""


@case(HAND_SQL, group="metrics")
def metrics_sql(ctx):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MEETINGS_SQL, ALL_YEARS)
        meetings = cursor.fetchone()
        cursor.execute(EVALUATIONS_SQL, ALL_YEARS)
        return meetings, cursor.fetchone()
