"""Reads of the meetings app, scoped to who may see what."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from facilitators.models import Assignment, AssignmentStatus, Facilitator
from facilitators.selectors import LIVE_STATUSES
from fiep.rules import is_program_staff
from fiep_requests.models import FacilitationRequest, RequestStatus

from .clock import local_today, local_zone
from .models import (
    Availability,
    ClaimStatus,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    DatePollState,
    Meeting,
    MeetingStatus,
    PaymentClaim,
    TimeEntry,
)


def user_facilitator(user):
    """The Facilitator record of a logged-in facilitator, or None."""
    if not getattr(user, "is_authenticated", False):
        return None

    return Facilitator.objects.filter(user=user).first()


def live_case_ids(user, statuses=LIVE_STATUSES):
    """Ids of the requests ``user`` holds a live assignment to (offered or accepted), as a
    subquery. Access to a meeting follows this, never ``Meeting.facilitator``: that field
    records who was scheduled and only changes at the next scheduling, so a replaced,
    declined or released facilitator would keep the meeting."""
    return Assignment.objects.filter(facilitator__user=user, status__in=statuses).values(
        "request_id"
    )


def visible_meetings(user):
    """Meetings ``user`` may see: all for office staff and administrators; for a
    facilitator, the meetings of the requests offered to or accepted by them now (the
    live assignment); none for anybody else. What an offered facilitator may do with
    them is decided by ``meetings.rules`` (nothing before accepting)."""
    meetings = Meeting.objects.select_related("request__district__region", "facilitator")
    if not getattr(user, "is_authenticated", False):
        return meetings.none()
    if is_program_staff(user):
        return meetings
    return meetings.filter(request_id__in=live_case_ids(user))


def facilitator_meetings(facilitator):
    """The meetings of the cases ``facilitator`` has accepted and still holds."""
    accepted = Assignment.objects.filter(
        facilitator=facilitator, status=AssignmentStatus.ACCEPTED
    ).values("request_id")
    return Meeting.objects.filter(request_id__in=accepted)


def visible_time_entries(user):
    """Time entries ``user`` may see: all for program staff; for a facilitator their own
    entries on meetings they still hold (accepted); none for anybody else."""
    entries = TimeEntry.objects.select_related("claim", "facilitator")
    if not getattr(user, "is_authenticated", False):
        return entries.none()
    if is_program_staff(user):
        return entries
    accepted = live_case_ids(user, statuses=[AssignmentStatus.ACCEPTED])
    return entries.filter(facilitator__user=user, meeting__request_id__in=accepted)


def schedulable_requests(user):
    """Assigned cases ``user`` may schedule: any for staff, their accepted cases for a
    facilitator."""
    requests = FacilitationRequest.objects.filter(status=RequestStatus.ASSIGNED)
    if not getattr(user, "is_authenticated", False):
        return requests.none()
    accepted = Assignment.objects.filter(status=AssignmentStatus.ACCEPTED)
    if not is_program_staff(user):
        accepted = accepted.filter(facilitator__user=user)
    return requests.filter(pk__in=accepted.values("request_id"))


def upcoming_meetings(user, *, start=None, weeks=8):
    """Scheduled meetings from the start of ``start``'s week (local) for ``weeks`` weeks."""
    zone = local_zone()
    today = start or local_today()
    monday = today - datetime.timedelta(days=today.weekday())
    begin = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    end = begin + datetime.timedelta(weeks=weeks)
    return (
        visible_meetings(user)
        .filter(status=MeetingStatus.SCHEDULED, starts_at__gte=begin, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def overdue_cutoff(today=None):
    """Meetings starting before this instant are past their outcome due date."""
    today = today or local_today()
    first_late_day = today - datetime.timedelta(days=settings.FIEP_OUTCOME_DUE_DAYS)
    return datetime.datetime.combine(first_late_day, datetime.time.min, tzinfo=local_zone())


def overdue_outcomes(*, today=None, meetings=None):
    """Scheduled meetings whose outcome is overdue: the meeting's local date plus
    FIEP_OUTCOME_DUE_DAYS is before ``today`` and no outcome is recorded."""
    meetings = meetings if meetings is not None else Meeting.objects.all()
    return (
        meetings.filter(
            status=MeetingStatus.SCHEDULED,
            request__status=RequestStatus.SCHEDULED,
            outcome_recorded_at__isnull=True,
            starts_at__lt=overdue_cutoff(today),
        )
        .select_related("request", "facilitator")
        .order_by("starts_at", "id")
    )


def outcomes_awaiting(user):
    """Past scheduled meetings of ``user``'s scope with no outcome yet (due or overdue)."""
    return (
        visible_meetings(user)
        .filter(
            status=MeetingStatus.SCHEDULED,
            request__status=RequestStatus.SCHEDULED,
            outcome_recorded_at__isnull=True,
            starts_at__lt=timezone.now(),
        )
        .order_by("starts_at", "id")
    )


def visible_claims(user):
    """Claims ``user`` may see: every claim for staff, their own for a facilitator."""
    claims = PaymentClaim.objects.select_related("facilitator")
    if not getattr(user, "is_authenticated", False):
        return claims.none()
    if is_program_staff(user):
        return claims
    return claims.filter(facilitator__user=user)


def claims_to_review():
    return PaymentClaim.objects.filter(status=ClaimStatus.SUBMITTED).select_related("facilitator")


def unclaimed_months(facilitator):
    """First days of the months in which the facilitator has unclaimed time."""
    days = TimeEntry.objects.filter(facilitator=facilitator, claim__isnull=True).dates(
        "worked_on", "month"
    )
    return list(days)


def feed_meetings(facilitator):
    """The facilitator's meetings for the private calendar feed: the cases they have
    accepted and still hold (not cancelled ones older than a year)."""
    since = timezone.now() - datetime.timedelta(days=365)
    return (
        facilitator_meetings(facilitator)
        .filter(starts_at__gte=since)
        .filter(~Q(status=MeetingStatus.CANCELLED) | Q(starts_at__gte=timezone.now()))
        .select_related("request", "facilitator")
    )


def visible_date_polls(user):
    """Date polls of the cases ``user`` may schedule (``schedulable_requests``)."""
    return DatePoll.objects.filter(request__in=schedulable_requests(user)).select_related("request")


def live_date_polls():
    """Open date polls proposed while the case's current facilitator held it: a poll from
    before a reassignment (the case went back to "approved" and on to another
    facilitator) no longer counts, and its links say it is closed."""
    accepted_since = Assignment.objects.filter(
        request_id=OuterRef("request_id"), status=AssignmentStatus.ACCEPTED
    ).values("assigned_at")[:1]
    return DatePoll.objects.filter(
        state=DatePollState.OPEN,
        request__status=RequestStatus.ASSIGNED,
        created_at__gte=Subquery(accepted_since),
    )


def open_date_poll(case):
    """The case's live open date poll (``live_date_polls``), or None."""
    return live_date_polls().filter(request=case).first()


@dataclass
class DateOptionRow:
    option: DatePollOption
    answers: list  # one Availability value (or "") per party, in the parties' order
    yes: int = 0
    if_need_be: int = 0
    no: int = 0
    best: bool = False


def date_poll_table(poll):
    """The answers to ``poll``: ``(parties, rows)``, a row per option with each party's
    answer and the counts; the best rows (fewest "no", then most "yes") are marked.
    Three queries whatever the number of parties and answers."""
    parties = list(poll.parties.order_by("id"))
    options = list(poll.options.order_by("starts_at", "id"))
    given = {
        (a.party_id, a.option_id): a.answer for a in DatePollAnswer.objects.filter(party__poll=poll)
    }
    rows = []
    for option in options:
        answers = [given.get((party.pk, option.pk), "") for party in parties]
        rows.append(
            DateOptionRow(
                option=option,
                answers=answers,
                yes=answers.count(Availability.YES),
                if_need_be=answers.count(Availability.IF_NEED_BE),
                no=answers.count(Availability.NO),
            )
        )
    if any(party.answered_at for party in parties):
        key = min((row.no, -row.yes) for row in rows) if rows else None
        for row in rows:
            row.best = (row.no, -row.yes) == key
    return parties, rows
