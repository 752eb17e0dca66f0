"""Writes of the follow-up survey: a few months after a meeting that reached agreements,
everyone invited to evaluate it is asked whether the agreements held.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fiep.notifications import Event, notify
from meetings.models import Consensus, MeetingStatus

from .models import AgreementsHeld, EvaluationInvitation, FollowUp
from .services import EvaluationError, expiry_days, link_lock_open


def follow_up_days():
    """Days after the meeting when the follow-up survey goes out (about four months)."""
    return settings.FIEP_EVALUATION_FOLLOW_UP_DAYS


#: Meetings held longer ago than the follow-up delay plus this are not followed up (so
#: turning the feature on, or importing history, does not write to years of families).
FOLLOW_UP_WINDOW_DAYS = 60


def follow_up_url(token):
    return settings.SITE_URL + reverse("evaluations:follow-up", args=[token])


def follow_ups_send(*, today=None):
    """Ask, a few months after a meeting that reached agreements, whether they held.

    Due: held meetings (not imported) with consensus on all or some issues, held between
    ``FIEP_EVALUATION_FOLLOW_UP_DAYS`` and that plus 60 days ago. Everyone who was invited
    to evaluate the meeting gets one follow-up (idempotent: the unique meeting + e-mail
    constraint and an existence check). Side effects: one FollowUp and one
    EVALUATION_FOLLOW_UP outbox message per person, in their language. Returns the number
    sent.
    """
    today = today or timezone.localdate()
    latest = today - datetime.timedelta(days=follow_up_days())
    earliest = latest - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    due = (
        EvaluationInvitation.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__imported=False,
            meeting__consensus__in=[Consensus.ALL, Consensus.SOME],
            meeting__held_on__gte=earliest,
            meeting__held_on__lte=latest,
            follow_up__isnull=True,
        )
        .select_related("meeting__request")
        .order_by("id")
    )
    sent = 0
    for invitation in due:
        with transaction.atomic():
            meeting = invitation.meeting
            if FollowUp.objects.filter(meeting=meeting, email__iexact=invitation.email).exists():
                continue
            follow_up = FollowUp.objects.create(
                meeting=meeting,
                invitation=invitation,
                email=invitation.email,
                role=invitation.role,
                language=invitation.language,
                expires_at=timezone.now() + datetime.timedelta(days=expiry_days()),
            )
            notify(
                event=Event.EVALUATION_FOLLOW_UP,
                to_email=follow_up.email,
                language=follow_up.language,
                context={
                    "follow_up_url": follow_up_url(follow_up.token),
                    "held_on": meeting.held_on,
                    "expires_at": follow_up.expires_at,
                },
                dedupe_key=f"evaluation_follow_up:{follow_up.pk}",
                case_reference=meeting.request.reference,
                related=follow_up,
            )
            sent += 1
    return sent


def follow_up_submit(*, follow_up, answers):
    """Store a follow-up answer and close its link (single use, row locked).

    Unanswered items stay blank / null. Side effects: the answers and ``used_at``.
    """
    unknown = set(answers) - {"agreements_held", "further_dispute", "comments"}
    if unknown:
        raise EvaluationError(f"Unknown item(s): {', '.join(sorted(unknown))}")
    held = answers.get("agreements_held") or ""
    if held and held not in AgreementsHeld.values:
        raise EvaluationError(f"agreements_held: {held!r} is not a valid answer")
    further = answers.get("further_dispute")
    further = {"yes": True, "no": False, True: True, False: False}.get(further)
    with transaction.atomic():
        locked = link_lock_open(follow_up)
        locked.agreements_held = held
        locked.further_dispute = further
        locked.comments = (answers.get("comments") or "").strip()
        locked.used_at = timezone.now()
        locked.save()
    return locked
