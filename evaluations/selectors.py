"""Reads of the evaluations app: token look-ups, response tracking and facilitator feedback.

Every count and rate is computed in the database. The response rate follows
``shared/spec/metrics.md``: evaluations completed ÷ invitations sent, counting only
meetings that had invitations (a meeting without invitations — paper only, or imported
history — adds to neither side).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, NullIf
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from fiep.schoolyear import SchoolYear, school_year_of
from fiep.tokens import is_wellformed
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import visible_meetings

from .models import (
    Agreement,
    ConcernsRaised,
    Evaluation,
    EvaluationInvitation,
    FacilitatorSelfEvaluation,
    FollowUp,
    Relationship,
    Satisfaction,
)
from .signals import tracking_year_counts


def invitation_for_token(token):
    """The invitation behind a survey link, or None."""
    if not is_wellformed(token):
        return None
    return EvaluationInvitation.objects.select_related("meeting").filter(token=token).first()


def self_evaluation_for_token(token):
    if not is_wellformed(token):
        return None
    return (
        FacilitatorSelfEvaluation.objects.select_related("meeting__request")
        .filter(token=token)
        .first()
    )


def follow_up_for_token(token):
    if not is_wellformed(token):
        return None
    return FollowUp.objects.select_related("meeting").filter(token=token).first()


def follow_up_totals(*, start=None, end=None):
    """Follow-ups of meetings held in the period: sent, answered, and the answers."""
    follow_ups = FollowUp.objects.filter(meeting__status=MeetingStatus.HELD)
    if start is not None:
        follow_ups = follow_ups.filter(meeting__held_on__gte=start)
    if end is not None:
        follow_ups = follow_ups.filter(meeting__held_on__lte=end)
    return follow_ups.aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(used_at__isnull=False)),
        held_yes=Count("pk", filter=Q(agreements_held="yes")),
        held_partly=Count("pk", filter=Q(agreements_held="partly")),
        held_no=Count("pk", filter=Q(agreements_held="no")),
        further_dispute=Count("pk", filter=Q(further_dispute=True)),
    )


def _count_subquery(model, **extra):
    rows = (
        model.objects.filter(meeting=OuterRef("pk"), **extra)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _rate(numerator, denominator):
    return Cast(numerator, FloatField()) / NullIf(Cast(denominator, FloatField()), Value(0.0))


def tracked_meetings(*, start=None, end=None, facilitator=None):
    """Held meetings (optionally held in ``start``..``end``) with ``invitations_sent``,
    ``responses`` and ``response_rate`` (None when no invitation was sent) annotated.

    For a page of a long list, page :func:`held_meetings_list` and give the page's rows to
    :func:`with_response_counts` instead: the counts are then made for those rows only.
    """
    meetings = _held_meetings(start=start, end=end, facilitator=facilitator)
    return (
        meetings.select_related("request", "facilitator")
        .annotate(
            invitations_sent=_count_subquery(EvaluationInvitation),
            responses=_count_subquery(Evaluation),
        )
        .annotate(
            response_rate=Case(
                When(invitations_sent__gt=0, then=_rate(F("responses"), F("invitations_sent"))),
                default=None,
                output_field=FloatField(),
            )
        )
        .order_by("-held_on", "-id")
    )


def held_meetings_list(*, start=None, end=None, facilitator=None):
    """The held meetings of the tracking list, newest first, without counts."""
    return (
        _held_meetings(start=start, end=end, facilitator=facilitator)
        .select_related("request", "facilitator")
        .order_by("-held_on", "-id")
    )


def with_response_counts(meetings):
    """Set ``invitations_sent``, ``responses`` and ``response_rate`` (as
    :func:`tracked_meetings` does) on ``meetings``: one query over those meetings only."""
    meetings = list(meetings)
    counts = {}
    if meetings:
        rows = (
            Meeting.objects.filter(pk__in=[m.pk for m in meetings])
            .annotate(
                invitations_sent=_count_subquery(EvaluationInvitation),
                responses=_count_subquery(Evaluation),
            )
            .order_by()
            .values_list("pk", "invitations_sent", "responses")
        )
        counts = {pk: (sent, responses) for pk, sent, responses in rows}
    for meeting in meetings:
        sent, responses = counts.get(meeting.pk, (0, 0))
        meeting.invitations_sent, meeting.responses = sent, responses
        meeting.response_rate = responses / sent if sent else None
    return meetings


def _totals_aggregates():
    # Each meeting's invitations and evaluations are counted by a subquery on the meeting
    # (an index look-up each), then summed: joining both tables at once would multiply
    # their rows and need DISTINCT counts over the product. "Invited" evaluations are
    # those of meetings with an invitation.
    invited = Q(_invitations__gt=0)
    invited_responses = Coalesce(Sum("_responses", filter=invited), Value(0))
    invitations_sent = Coalesce(Sum("_invitations"), Value(0))
    return {
        "meetings": Count("pk"),
        "meetings_invited": Count("pk", filter=invited),
        "invitations_sent": invitations_sent,
        "responses": Coalesce(Sum("_responses"), Value(0)),
        "responses_invited": invited_responses,
        "response_rate": _rate(invited_responses, invitations_sent),
    }


def _with_counts(meetings):
    return meetings.annotate(
        _invitations=_count_subquery(EvaluationInvitation),
        _responses=_count_subquery(Evaluation),
    )


def _held_meetings(*, start=None, end=None, facilitator=None):
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD)
    if start is not None:
        meetings = meetings.filter(held_on__gte=start)
    if end is not None:
        meetings = meetings.filter(held_on__lte=end)
    if facilitator is not None:
        meetings = meetings.filter(facilitator=facilitator)
    return meetings


def tracking_totals(*, start=None, end=None, facilitator=None):
    """One period's figures: meetings, invitations sent, responses, response rate."""
    meetings = _held_meetings(start=start, end=end, facilitator=facilitator).order_by()
    return _with_counts(meetings).aggregate(**_totals_aggregates())


def _start_year(held_on):
    """The school year (its first calendar year) of the date at ``held_on``."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    return Case(
        When(GreaterThanOrEqual(ExtractMonth(held_on), month), then=ExtractYear(held_on)),
        default=ExtractYear(held_on) - 1,
        output_field=IntegerField(),
    )


#: The counts of one school year on the tracking page (stored as one list, these and
#: :data:`FOLLOW_UP_COUNTS`, for closed years and the current one:
#: ``signals.tracking_year_counts``; a change
#: to either list needs a new ``reports.metrics.cache.VERSION``).
TRACKING_COUNTS = [
    "meetings",
    "meetings_invited",
    "invitations_sent",
    "responses",
    "responses_invited",
]
#: The follow-up counts of a school year (:func:`follow_up_totals`' keys).
FOLLOW_UP_COUNTS = ["sent", "answered", "held_yes", "held_partly", "held_no", "further_dispute"]


def _counts_by_year(meetings):
    """``{start_year: [TRACKING_COUNTS + FOLLOW_UP_COUNTS]}`` of ``meetings`` (held
    meetings), in one query.

    The meetings (id and school year) are read once; their invitations, evaluations and
    follow-ups are counted per meeting over the range of those meetings' ids only — one
    walk along each ``meeting_id`` index (index-only for ``COUNT(*)``), which stays short
    because meetings are created about when they are held — and joined to them, then
    everything is added up by school year. (Counting each meeting's rows with a subquery
    per meeting costs one index descent and a heap visit per evaluation: 4,500 meetings
    and 40,000 evaluations a year at the size of a large state.)"""
    ids = meetings.order_by().annotate(_start_year=_start_year("held_on"))
    sql, params = ids.values_list("pk", "_start_year").query.sql_with_params()
    quote = connection.ops.quote_name
    in_range = "meeting_id BETWEEN (SELECT MIN(id) FROM m) AND (SELECT MAX(id) FROM m)"

    def per_meeting(model, counts="COUNT(*) AS n"):
        table = quote(model._meta.db_table)
        # Only a table name and fixed text.
        return f"SELECT meeting_id, {counts} FROM {table} WHERE {in_range} GROUP BY meeting_id"  # noqa: S608  # nosec B608

    follow_up_counts = (
        "COUNT(*) AS sent, COUNT(*) FILTER (WHERE used_at IS NOT NULL) AS answered, "
        "COUNT(*) FILTER (WHERE agreements_held = 'yes') AS held_yes, "
        "COUNT(*) FILTER (WHERE agreements_held = 'partly') AS held_partly, "
        "COUNT(*) FILTER (WHERE agreements_held = 'no') AS held_no, "
        "COUNT(*) FILTER (WHERE further_dispute) AS further_dispute"
    )
    sent, done = "COALESCE(i.n, 0)", "COALESCE(r.n, 0)"
    invited = f"CASE WHEN {sent} > 0 THEN {{}} ELSE 0 END"
    follow_ups = ", ".join(f"SUM(COALESCE(f.{name}, 0))" for name in FOLLOW_UP_COUNTS)
    query = (
        # Only table names, the ORM's own SQL (its values stay parameters) and fixed text.
        f"WITH m (id, start_year) AS MATERIALIZED ({sql}), "  # noqa: S608  # nosec B608
        f"i AS ({per_meeting(EvaluationInvitation)}), r AS ({per_meeting(Evaluation)}), "
        f"f AS ({per_meeting(FollowUp, follow_up_counts)}) "
        f"SELECT m.start_year, COUNT(*), SUM({invited.format('1')}), SUM({sent}), "
        f"SUM({done}), SUM({invited.format(done)}), {follow_ups} "
        "FROM m LEFT JOIN i ON i.meeting_id = m.id LEFT JOIN r ON r.meeting_id = m.id "
        "LEFT JOIN f ON f.meeting_id = m.id GROUP BY m.start_year"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        fetched = cursor.fetchall()
    # PostgreSQL's SUM of integers is a numeric (Decimal): back to whole numbers
    return {row[0]: [int(value or 0) for value in row[1:]] for row in fetched}


def _year_range(years):
    """``Q`` of the meetings held in any of ``years`` (``SchoolYear`` objects), consecutive
    years as one range."""
    where = Q()
    for first, last in _runs(sorted(years)):
        where |= Q(held_on__gte=first.start, held_on__lte=last.end)
    return where


def _runs(years):
    """Consecutive school years as ``(first, last)`` pairs."""
    runs = []
    for year in years:
        if runs and runs[-1][1].start_year + 1 == year.start_year:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def count_tracking_years(years):
    """``{start_year: [TRACKING_COUNTS + FOLLOW_UP_COUNTS]}`` of each of ``years``
    (``SchoolYear`` objects), counted live in one query; a year without meetings counts
    zeros."""
    counted = _counts_by_year(
        Meeting.objects.filter(status=MeetingStatus.HELD).filter(_year_range(years))
    )
    width = len(TRACKING_COUNTS) + len(FOLLOW_UP_COUNTS)
    return {year.start_year: counted.get(year.start_year, [0] * width) for year in years}


def _whole_years(start, end):
    """The school years wholly inside ``start``..``end`` (None: open), up to the current
    one; an open start begins at the first meeting held (1 query)."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    if start is None:
        start = (
            Meeting.objects.filter(status=MeetingStatus.HELD, held_on__isnull=False)
            .order_by("held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        if start is None:
            return []
        start = school_year_of(start, month).start
    first = school_year_of(start, month)
    if first.start < start:
        first = SchoolYear(first.start_year + 1, month)
    last = current_school_year()
    if end is not None:
        last = min(last, school_year_of(end, month))
        if last.end > end:
            last = SchoolYear(last.start_year - 1, month)
    return [SchoolYear(y, month) for y in range(first.start_year, last.start_year + 1)]


def tracking_by_school_year(*, start=None, end=None):
    """The same figures per school year (by the date the meeting was held), newest first;
    only the meetings held in ``start``..``end`` when given (the tracking page passes its
    period, so it never aggregates every year unless that is the period asked for).

    The counts of whole school years come from the receivers of
    ``signals.tracking_year_counts`` when they have them (stored counts of closed years and
    of the current one: ``reports.tracking``), the rest of the period is counted live in
    one query
    (:func:`_counts_by_year`) — skipped when nothing is left."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    whole = _whole_years(start, end)
    kept = {}
    if whole:
        kept = dict(tracking_year_counts.collect(years=whole, count=count_tracking_years))
    kept_years = [SchoolYear(y, month) for y in kept]
    counted = {}
    runs = _runs(sorted(kept_years))
    covered = (
        start is not None
        and end is not None
        and len(runs) == 1
        and runs[0][0].start <= start
        and runs[0][1].end >= end
    )
    if not covered:
        meetings = _held_meetings(start=start, end=end)
        if kept_years:
            meetings = meetings.exclude(_year_range(kept_years))
        counted = _counts_by_year(meetings)
    # a year without meetings has no row, stored or counted
    counted.update((year, counts) for year, counts in kept.items() if counts[0])
    result = []
    for year in sorted(counted, key=lambda y: (y is None, y), reverse=True):
        row = dict(zip(TRACKING_COUNTS + FOLLOW_UP_COUNTS, counted[year], strict=True))
        sent = row["invitations_sent"]
        result.append(
            {
                "start_year": int(year or 0),
                "school_year": SchoolYear(int(year or 0), month),
                **row,
                "response_rate": row["responses_invited"] / sent if sent else None,
            }
        )
    return result


def follow_ups_of_years(rows):
    """:func:`follow_up_totals` of a period from its :func:`tracking_by_school_year` rows."""
    return {key: sum(row[key] for row in rows) for key in FOLLOW_UP_COUNTS}


def totals_of_years(rows):
    """:func:`tracking_totals` of a period from its :func:`tracking_by_school_year` rows
    (the counts add up; the rate is recomputed), without reading the meetings again."""
    keys = ["meetings", "meetings_invited", "invitations_sent", "responses", "responses_invited"]
    totals = {key: sum(row[key] or 0 for row in rows) for key in keys}
    sent = totals["invitations_sent"]
    totals["response_rate"] = totals["responses_invited"] / sent if sent else None
    return totals


def current_school_year():
    return school_year_of(datetime.date.today())


def visible_invitations(user):
    """Evaluation invitations of the meetings ``user`` may see (``visible_meetings``)."""
    return EvaluationInvitation.objects.filter(meeting__in=visible_meetings(user))


def meeting_invitations(meeting):
    """A meeting's invitations for staff (role, language, status; no answers)."""
    return meeting.invitations.all().order_by("sent_at", "id")


def meeting_responses(meeting):
    """A meeting's evaluations, anonymised: no invitation, no e-mail, in a fixed order
    unrelated to the invitations (by response id), so a row cannot be matched to a person.
    """
    return (
        Evaluation.objects.filter(meeting=meeting)
        .only(
            "id",
            "response_id",
            "source",
            "respondent_role",
            "language",
            "satisfaction",
            "concerns_raised",
            "facilitator_listened",
            "facilitator_neutral",
            "facilitator_focused",
            "relationship",
            "would_recommend",
            "comments",
            "meeting_id",
        )
        .order_by("source", "respondent_role", "id")
    )


FEEDBACK_ITEMS = [
    ("satisfaction", Satisfaction),
    ("concerns_raised", ConcernsRaised),
    ("facilitator_listened", Agreement),
    ("facilitator_neutral", Agreement),
    ("facilitator_focused", Agreement),
    ("relationship", Relationship),
]


def _feedback_counts(evaluations):
    """Counts per answer of ``evaluations`` in one query: ``(responses, counts)``."""
    aggregates = {"responses": Count("pk")}
    for item, choices in FEEDBACK_ITEMS:
        for value in choices.values:
            aggregates[f"{item}__{value}"] = Count("pk", filter=Q(**{item: value}))
        aggregates[f"{item}__answered"] = Count("pk", filter=~Q(**{item: ""}))
    aggregates["would_recommend__yes"] = Count("pk", filter=Q(would_recommend=True))
    aggregates["would_recommend__no"] = Count("pk", filter=Q(would_recommend=False))
    aggregates["would_recommend__answered"] = Count("pk", filter=Q(would_recommend__isnull=False))
    counts = evaluations.aggregate(**aggregates)
    return counts.pop("responses"), counts


@dataclass(frozen=True)
class FeedbackPeriod:
    """A fixed feedback period: a whole school year (``half`` 0) or one of its halves."""

    year: SchoolYear
    half: int = 0

    @property
    def key(self):
        return self.year.label if not self.half else f"{self.year.label}-{self.half}"

    @property
    def start(self):
        return self.year.start if self.half != 2 else _add_months(self.year.start, 6)

    @property
    def end(self):
        if self.half == 1:
            return _add_months(self.year.start, 6) - datetime.timedelta(days=1)
        return self.year.end

    @property
    def label(self):
        if self.half == 0:
            return _("School year %(year)s") % {"year": self.year.label}
        return _("%(year)s, %(half)s (%(start)s to %(end)s)") % {
            "year": self.year.label,
            "half": _("first half") if self.half == 1 else _("second half"),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _add_months(day, months):
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def feedback_publish_days():
    """Days after a period ends before its feedback is shown: survey links stop working
    (FIEP_EVALUATION_EXPIRY_DAYS), so the totals stop growing (optional setting
    FIEP_FEEDBACK_PUBLISH_DAYS)."""
    return getattr(
        settings, "FIEP_FEEDBACK_PUBLISH_DAYS", getattr(settings, "FIEP_EVALUATION_EXPIRY_DAYS", 21)
    )


def period_published_on(period):
    """The first day ``period``'s feedback may be shown."""
    return period.end + datetime.timedelta(days=feedback_publish_days() + 1)


def shown_periods(year_responses, half_responses, threshold):
    """Which of a school year's periods may be shown, from their response counts.

    ``half_responses`` is ``{1: n, 2: n}`` (the year is their sum). A half is shown at or
    above ``threshold``; the year too, but never next to a shown half whose difference
    from the year (the other half) is below it — else the year minus the half gives the
    answers of fewer than ``threshold`` participants. Returns ``{0: bool, 1: bool, 2: bool}``.
    """
    shown = {half: n >= threshold for half, n in half_responses.items()}
    shown[0] = year_responses >= threshold and all(
        year_responses - half_responses[half] >= threshold for half in half_responses if shown[half]
    )
    return shown


def _half_counts(facilitator, period):
    """Responses about the facilitator's meetings held in the half ``period``, counting
    only those received by the day before it is published: once shown, the totals of a
    period never change, so two looks at the same period cannot be differenced either."""
    cutoff = period_published_on(period) - datetime.timedelta(days=1)
    evaluations = Evaluation.objects.filter(
        meeting__facilitator=facilitator,
        meeting__status=MeetingStatus.HELD,
        meeting__held_on__gte=period.start,
        meeting__held_on__lte=period.end,
    ).filter(
        Q(submitted_on__lte=cutoff) | Q(submitted_on__isnull=True, created_at__date__lte=cutoff)
    )
    return _feedback_counts(evaluations)


def feedback_periods(*, facilitator, today=None):
    """Every published feedback period of ``facilitator``, newest first.

    Only fixed periods — whole school years and their halves — that ended at least
    :func:`feedback_publish_days` ago. Each row: ``{"period", "shown", "responses",
    "counts"}``; ``responses`` and ``counts`` are None and empty when not shown (see
    :func:`shown_periods`). A year's counts are the sum of its halves' counts.
    """
    today = today or timezone.localdate()
    threshold = settings.FIEP_SUPPRESSION_THRESHOLD
    first = (
        Meeting.objects.filter(facilitator=facilitator, status=MeetingStatus.HELD)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if first is None:
        return []
    rows = []
    year = school_year_of(first)
    while period_published_on(FeedbackPeriod(year, 1)) <= today:
        halves = {half: FeedbackPeriod(year, half) for half in (1, 2)}
        published = {h: period_published_on(p) <= today for h, p in halves.items()}
        results = {h: _half_counts(facilitator, p) for h, p in halves.items() if published[h]}
        year_total = sum(n for n, _counts in results.values())
        shown = shown_periods(
            year_total if published[2] else 0,
            {h: n for h, (n, _counts) in results.items()},
            threshold,
        )
        candidates = [(1, halves[1]), (2, halves[2]), (0, FeedbackPeriod(year))]
        for half, period in candidates:
            if half and not published[half] or not half and not published[2]:
                continue
            if half:
                responses, counts = results[half]
            else:
                responses = year_total
                counts = {key: sum(c[key] for _n, c in results.values()) for key in results[1][1]}
            visible = shown[half]
            rows.append(
                {
                    "period": period,
                    "shown": visible,
                    "responses": responses if visible else None,
                    "counts": counts if visible else {},
                }
            )
        year = SchoolYear(year.start_year + 1, year.start_month)
    rows.reverse()
    return rows


def facilitator_feedback(*, facilitator, period=None, today=None):
    """A facilitator's aggregated feedback for one published period (its key, e.g.
    ``2024-2025`` or ``2024-2025-1``; the newest shown one when None or unknown).

    Returns ``{"periods", "period", "responses", "suppressed", "threshold", "counts"}``:
    counts per answer, never a response; nothing for a period not shown.
    """
    periods = feedback_periods(facilitator=facilitator, today=today)
    chosen = next((row for row in periods if row["period"].key == period), None)
    if chosen is None:
        chosen = next((row for row in periods if row["shown"]), None)
    return {
        "periods": periods,
        "period": chosen["period"] if chosen else None,
        "responses": chosen["responses"] if chosen else None,
        "suppressed": not (chosen and chosen["shown"]),
        "threshold": settings.FIEP_SUPPRESSION_THRESHOLD,
        "counts": chosen["counts"] if chosen else {},
    }
