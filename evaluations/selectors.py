"""Reads of the evaluations app: token look-ups, response tracking and facilitator feedback.

Every count and rate is computed in the database. The response rate follows
``shared/spec/metrics.md``: evaluations completed ÷ invitations sent, counting only
meetings that had invitations (a meeting without invitations — paper only, or imported
history — adds to neither side).
"""

import datetime

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, NullIf

from fiep.schoolyear import SchoolYear, school_year_of
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


def invitation_for_token(token):
    """The invitation behind a survey link, or None."""
    if not token or len(token) > 64:
        return None
    return EvaluationInvitation.objects.select_related("meeting").filter(token=token).first()


def self_evaluation_for_token(token):
    if not token or len(token) > 64:
        return None
    return (
        FacilitatorSelfEvaluation.objects.select_related("meeting__request")
        .filter(token=token)
        .first()
    )


def follow_up_for_token(token):
    if not token or len(token) > 64:
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


def _totals_aggregates():
    # Joined counts: a meeting's invitation and evaluation rows multiply, so every count
    # is distinct. "Invited" evaluations are those of meetings with an invitation.
    invited = Q(invitations__isnull=False)
    invited_responses = Count("evaluations", distinct=True, filter=invited)
    invitations_sent = Count("invitations", distinct=True)
    return {
        "meetings": Count("pk", distinct=True),
        "meetings_invited": Count("pk", distinct=True, filter=invited),
        "invitations_sent": invitations_sent,
        "responses": Count("evaluations", distinct=True),
        "responses_invited": invited_responses,
        "response_rate": _rate(invited_responses, invitations_sent),
    }


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
    return meetings.aggregate(**_totals_aggregates())


def tracking_by_school_year():
    """The same figures per school year (by the date the meeting was held), newest first."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    start_year = Case(
        When(held_month__gte=month, then=F("held_year")),
        default=F("held_year") - 1,
        output_field=IntegerField(),
    )
    rows = (
        _held_meetings()
        .order_by()
        .annotate(held_year=ExtractYear("held_on"), held_month=ExtractMonth("held_on"))
        .annotate(start_year=start_year)
        .values("start_year")
        .annotate(**_totals_aggregates())
        .order_by("-start_year")
    )
    result = []
    for row in rows:
        row["school_year"] = SchoolYear(row["start_year"], month)
        result.append(row)
    return result


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


def facilitator_feedback(*, facilitator, start=None, end=None):
    """A facilitator's aggregated feedback: counts per answer, one query, no responses.

    Returns ``{"responses": n, "suppressed": bool, "threshold": t, "counts": {...}}``.
    When fewer than ``FIEP_SUPPRESSION_THRESHOLD`` responses exist, ``suppressed`` is True
    and ``counts`` is empty, so no single answer can be traced back to a participant.
    """
    evaluations = Evaluation.objects.filter(
        meeting__facilitator=facilitator, meeting__status=MeetingStatus.HELD
    )
    if start is not None:
        evaluations = evaluations.filter(meeting__held_on__gte=start)
    if end is not None:
        evaluations = evaluations.filter(meeting__held_on__lte=end)
    aggregates = {"responses": Count("pk")}
    for item, choices in FEEDBACK_ITEMS:
        for value in choices.values:
            aggregates[f"{item}__{value}"] = Count("pk", filter=Q(**{item: value}))
        aggregates[f"{item}__answered"] = Count("pk", filter=~Q(**{item: ""}))
    aggregates["would_recommend__yes"] = Count("pk", filter=Q(would_recommend=True))
    aggregates["would_recommend__no"] = Count("pk", filter=Q(would_recommend=False))
    aggregates["would_recommend__answered"] = Count("pk", filter=Q(would_recommend__isnull=False))
    counts = evaluations.aggregate(**aggregates)
    threshold = settings.FIEP_SUPPRESSION_THRESHOLD
    responses = counts.pop("responses")
    suppressed = responses < threshold
    return {
        "responses": responses,
        "suppressed": suppressed,
        "threshold": threshold,
        "counts": {} if suppressed else counts,
    }
