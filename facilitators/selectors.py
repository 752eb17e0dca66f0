"""Reads of the roster and the facilitator's cases, reused by views, services and panels."""

import datetime

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from fiep_requests.models import OPEN_STATUSES, FacilitationRequest

from .models import Assignment, AssignmentStatus, Facilitator, Training

#: Assignment statuses that hold a case (at most one per request, by constraint).
LIVE_STATUSES = [AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]

#: Payment-claim statuses (meetings.ClaimStatus values) under which logged time counts as
#: claimed: sent to the office or paid. A draft or returned claim is still the
#: facilitator's to finish.
CLAIMED_STATUSES = ("submitted", "approved")
UNCLAIMED_STATUSES = ("draft", "returned")


def rotation_days():
    """How far back "recent assignments" count for rotation (setting, default 365 days)."""
    return settings.FIEP_ROTATION_DAYS


def training_due_soon_days():
    """How many days ahead the roster's "training due" filter looks (default 60)."""
    return settings.FIEP_TRAINING_DUE_SOON_DAYS


def _count(queryset):
    """A correlated COUNT subquery per facilitator, 0 when there is none."""
    counted = (
        queryset.filter(facilitator=OuterRef("pk"))
        .order_by()
        .values("facilitator")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def live_assignment(request):
    """The offered or accepted assignment of ``request`` (at most one), or None."""
    return (
        Assignment.objects.filter(request=request, status__in=LIVE_STATUSES)
        .select_related("facilitator")
        .first()
    )


def open_assignments():
    """Live assignments on requests that are still open: a facilitator's open cases."""
    return Assignment.objects.filter(status__in=LIVE_STATUSES, request__status__in=OPEN_STATUSES)


def roster(*, today=None, recent=True):
    """Every facilitator with workload and training annotations, in one query.

    Annotations: ``open_cases`` (live assignments on open requests), ``recent_assignments``
    (assignments not declined in the last ``FIEP_ROTATION_DAYS``; left out with
    ``recent=False``, for the roster page, which does not print it), ``last_assigned_at``,
    ``continuing_due_on`` (the latest continuing-education due date recorded) and
    ``training_overdue`` is computed by :func:`training_overdue`. Regions and languages
    are prefetched (two more queries whatever the roster's size).
    """
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=rotation_days())
    last_assigned = (
        Assignment.objects.filter(facilitator=OuterRef("pk"))
        .order_by("-assigned_at")
        .values("assigned_at")[:1]
    )
    due = (
        Training.objects.filter(facilitator=OuterRef("pk"), continuing_due_on__isnull=False)
        .order_by("-continuing_due_on")
        .values("continuing_due_on")[:1]
    )
    counts = {"open_cases": _count(open_assignments())}
    if recent:
        counts["recent_assignments"] = _count(
            Assignment.objects.filter(assigned_at__gte=since).exclude(
                status=AssignmentStatus.DECLINED
            )
        )
    return (
        Facilitator.objects.select_related("user")
        .prefetch_related("regions", "languages")
        .annotate(
            **counts,
            last_assigned_at=Subquery(last_assigned, output_field=DateTimeField()),
            continuing_due_on=Subquery(due, output_field=DateField()),
        )
    )


def training_overdue(facilitator, today=None):
    """True when the facilitator's continuing-education due date has passed."""
    due = getattr(facilitator, "continuing_due_on", None)
    return due is not None and due < (today or timezone.localdate())


def facilitator_of(user):
    """The Facilitator profile linked to ``user``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Facilitator.objects.filter(user=user).first()


def facilitator_cases(user):
    """Requests with an offered or accepted assignment to ``user``'s facilitator profile.

    Each row carries ``my_assignment_id`` and ``my_assignment_status``, and from the
    case's meeting (through the reverse relation, no import of the meetings app)
    ``meeting_id``, ``meeting_status``, ``meeting_starts_at`` and
    ``meeting_outcome_recorded_at`` — one query, no per-row look-ups — and
    ``my_time_claimed``: the user logged time on the meeting and every entry of it is on a
    submitted or approved payment claim. Empty for users without a profile.
    """
    if not getattr(user, "is_authenticated", False):
        return FacilitationRequest.objects.none()
    mine = Assignment.objects.filter(
        request=OuterRef("pk"), facilitator__user=user, status__in=LIVE_STATUSES
    )
    # One filter() call per condition set: each matches one and the same time entry.
    my_time = FacilitationRequest.objects.filter(pk=OuterRef("pk"))
    claimed = my_time.filter(
        meeting__time_entries__facilitator__user=user,
        meeting__time_entries__claim__status__in=CLAIMED_STATUSES,
    )
    unclaimed = my_time.filter(
        Q(meeting__time_entries__claim__isnull=True)
        | Q(meeting__time_entries__claim__status__in=UNCLAIMED_STATUSES),
        meeting__time_entries__facilitator__user=user,
    )
    return (
        FacilitationRequest.objects.filter(
            assignments__facilitator__user=user, assignments__status__in=LIVE_STATUSES
        )
        .select_related("district", "district__region")
        .annotate(
            my_assignment_id=Subquery(mine.values("pk")[:1]),
            my_assignment_status=Subquery(mine.values("status")[:1]),
            my_assigned_at=Subquery(mine.values("assigned_at")[:1]),
            meeting_id=F("meeting__id"),
            meeting_status=F("meeting__status"),
            meeting_starts_at=F("meeting__starts_at"),
            meeting_outcome_recorded_at=F("meeting__outcome_recorded_at"),
            my_time_claimed=Exists(claimed) & ~Exists(unclaimed),
        )
        .order_by("-my_assigned_at", "-id")
    )


def offers_awaiting_response():
    """Offered assignments on open requests, oldest first (staff panel)."""
    return (
        Assignment.objects.filter(status=AssignmentStatus.OFFERED)
        .select_related("facilitator", "request")
        .order_by("assigned_at")
    )


def trainings_overdue(*, today=None):
    """Active/trial facilitators whose continuing-education due date has passed."""
    today = today or timezone.localdate()
    return roster(today=today).filter(~Q(contract_status="inactive"), continuing_due_on__lt=today)
