"""Demo evaluations: invitations and answers for the demo's held meetings.

Everything is fictional. If no held meeting exists yet (the meetings demo did not run),
a few held meetings are created first, their requests walked to "held" through
``request_transition``. The answers follow a realistic spread: most participants very
satisfied, about nine in ten would recommend facilitation, some items left unanswered,
some invitations never answered, a few paper forms.

The invitations are written directly (no outbox messages), so seeding sends no e-mail.
"""

import datetime
import random

from django.utils import timezone

from facilitators.models import ContractStatus, Facilitator
from fiep.models import District, Language, User
from fiep_requests.models import FacilitationRequest, RequestStatus
from fiep_requests.services import request_transition
from meetings.models import Consensus, Meeting, MeetingStatus, Participant, ParticipantRole

from . import services
from .models import (
    Agreement,
    AgreementsHeld,
    ConcernsRaised,
    Evaluation,
    EvaluationInvitation,
    EvaluationSource,
    FacilitatorSelfEvaluation,
    FollowUp,
    Relationship,
    Satisfaction,
    SelfRating,
)

PATH_TO_HELD = [
    RequestStatus.UNDER_REVIEW,
    RequestStatus.APPROVED,
    RequestStatus.ASSIGNED,
    RequestStatus.SCHEDULED,
    RequestStatus.HELD,
]

# (role, language, has e-mail)
DEMO_PARTICIPANTS = [
    (ParticipantRole.PARENT, Language.ENGLISH, True),
    (ParticipantRole.SPECIAL_EDUCATOR, Language.ENGLISH, True),
    (ParticipantRole.GENERAL_EDUCATOR, Language.ENGLISH, True),
    (ParticipantRole.ADMINISTRATOR, Language.ENGLISH, True),
    (ParticipantRole.STUDENT, Language.ENGLISH, False),
]

COMMENTS = [
    "The facilitator kept everyone on track and we finished on time.",
    "It helped to have someone neutral in the room.",
    "We finally agreed on the reading services.",
    "The agenda sent beforehand was very useful.",
    "I felt heard for the first time in a long while.",
    "Good meeting, but it ran long.",
    "La facilitadora explicó todo con claridad.",
    "Nos ayudó mucho tener a alguien neutral.",
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _maybe(rng, value, skip=0.08):
    """An answer, or "" (not answered) for a share of respondents."""
    return "" if rng.random() < skip else value


def _answers(rng, role):
    satisfaction = _weighted(
        rng,
        [
            (Satisfaction.VERY_SATISFIED, 72),
            (Satisfaction.SATISFIED, 19),
            (Satisfaction.DISSATISFIED, 6),
            (Satisfaction.VERY_DISSATISFIED, 3),
        ],
    )
    happy = satisfaction in (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
    agree = [(Agreement.STRONGLY_AGREE, 70), (Agreement.AGREE, 24), (Agreement.DISAGREE, 5)]
    agree.append((Agreement.STRONGLY_DISAGREE, 1))
    recommend = rng.random() < (0.95 if happy else 0.45)
    return {
        "respondent_role": role,
        "satisfaction": _maybe(rng, satisfaction, skip=0.04),
        "concerns_raised": _maybe(
            rng,
            _weighted(
                rng,
                [
                    (ConcernsRaised.FULLY, 75),
                    (ConcernsRaised.PARTLY, 21),
                    (ConcernsRaised.NOT_AT_ALL, 4),
                ],
            ),
        ),
        "facilitator_listened": _maybe(rng, _weighted(rng, agree)),
        "facilitator_neutral": _maybe(rng, _weighted(rng, agree), skip=0.12),
        "facilitator_focused": _maybe(rng, _weighted(rng, agree)),
        "relationship": _maybe(
            rng,
            _weighted(
                rng,
                [
                    (Relationship.IMPROVED, 58),
                    (Relationship.NO_CHANGE, 38),
                    (Relationship.WORSE, 4),
                ],
            ),
            skip=0.15,
        ),
        "would_recommend": None if rng.random() < 0.06 else recommend,
        "comments": rng.choice(COMMENTS) if rng.random() < 0.3 else "",
    }


def _demo_facilitator():
    facilitator = Facilitator.objects.filter(user__username="facilitator").first()
    if facilitator is not None:
        return facilitator
    user = User.objects.filter(username="facilitator", facilitator__isnull=True).first()
    facilitator, _ = Facilitator.objects.get_or_create(
        email="fiona.facilitator@example.org",
        defaults={
            "first_name": "Fiona",
            "last_name": "Facilitator",
            "contract_status": ContractStatus.ACTIVE,
            "user": user,
        },
    )
    return facilitator


def _create_held_meetings(stdout, rng):
    """A few held meetings of our own when the meetings demo has not made any."""
    districts = list(District.objects.order_by("code")[:6])
    if not districts:
        stdout.write("Evaluations: no districts; no demo meetings created.")
        return []
    facilitator = _demo_facilitator()
    today = timezone.localdate()
    meetings = []
    for number in range(1, 9):
        reference = f"FIEP-DEMO-E{number:02d}"
        held_on = today - datetime.timedelta(days=20 + 23 * number)
        request, created = FacilitationRequest.objects.get_or_create(
            reference=reference,
            defaults={
                "received_on": held_on - datetime.timedelta(days=30),
                "requested_by": "parent",
                "district": districts[number % len(districts)],
                "student_first_name": "Demo",
                "student_last_name": f"Student {number}",
                "parent_name": f"Demo Parent {number}",
                "parent_email": f"demo.parent{number}@example.org",
                "parent_language": Language.SPANISH if number % 3 == 0 else Language.ENGLISH,
                "meeting_type": "annual_review",
                "requester_consents": True,
                "agreed_on": held_on - datetime.timedelta(days=25),
            },
        )
        if created:
            for status in PATH_TO_HELD:
                request_transition(request=request, to_status=status, reason="Demo data")
        meeting = Meeting.objects.filter(request=request).first()
        if meeting is None:
            meeting = Meeting.objects.create(
                request=request,
                facilitator=facilitator,
                status=MeetingStatus.HELD,
                format="in_person" if number % 2 else "video",
                location="District office" if number % 2 else "Video call",
                held_on=held_on,
                consensus=_weighted(
                    rng, [(Consensus.ALL, 60), (Consensus.SOME, 30), (Consensus.NONE, 10)]
                ),
                outcome_recorded_at=timezone.now(),
            )
        meetings.append(meeting)
    return meetings


def _add_participants(meeting):
    spanish = meeting.request.parent_language == Language.SPANISH
    for index, (role, language, has_email) in enumerate(DEMO_PARTICIPANTS):
        if role == ParticipantRole.PARENT and spanish:
            language = Language.SPANISH
        Participant.objects.create(
            meeting=meeting,
            role=role,
            name=f"Demo {role.label}",
            email=f"demo.{meeting.pk}.{index}@example.org" if has_email else "",
            language=language,
            attended=True,
        )


def _invite_and_answer(meeting, rng, counts):
    if meeting.invitations.exists() or meeting.evaluations.exists():
        return
    if not meeting.participants.exists():
        _add_participants(meeting)
    sent_at = timezone.make_aware(
        datetime.datetime.combine(meeting.held_on + datetime.timedelta(days=1), datetime.time(9))
    )
    expires_at = sent_at + datetime.timedelta(days=21)
    paper_number = 0
    for participant in meeting.participants.all():
        if not participant.email:
            # No e-mail: a paper form, returned about half the time.
            if rng.random() < 0.5:
                paper_number += 1
                answers = _answers(rng, participant.role)
                Evaluation.objects.create(
                    meeting=meeting,
                    response_id=f"paper-{paper_number}",
                    source=EvaluationSource.PAPER,
                    submitted_on=meeting.held_on + datetime.timedelta(days=9),
                    language=participant.language,
                    **answers,
                )
                counts["paper"] += 1
            continue
        invitation = EvaluationInvitation.objects.create(
            meeting=meeting,
            participant=participant,
            email=participant.email,
            role=participant.role,
            language=participant.language,
            expires_at=expires_at,
        )
        counts["invitations"] += 1
        answered = rng.random() < 0.6
        reminded = not answered or rng.random() < 0.3
        used_at = sent_at + datetime.timedelta(days=rng.randint(0, 15)) if answered else None
        EvaluationInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=sent_at,
            used_at=used_at,
            reminded_at=expires_at - datetime.timedelta(days=7) if reminded else None,
        )
        if answered:
            Evaluation.objects.create(
                meeting=meeting,
                invitation=invitation,
                response_id=f"online-{invitation.pk}",
                source=EvaluationSource.ONLINE,
                submitted_on=used_at.date(),
                language=participant.language,
                **_answers(rng, participant.role),
            )
            counts["online"] += 1
    if meeting.facilitator_id and not hasattr(meeting, "self_evaluation"):
        done = rng.random() < 0.75
        FacilitatorSelfEvaluation.objects.create(
            meeting=meeting,
            facilitator_id=meeting.facilitator_id,
            expires_at=expires_at,
            used_at=sent_at + datetime.timedelta(days=2) if done else None,
            overall=rng.choice([SelfRating.WENT_WELL, SelfRating.WENT_WELL, SelfRating.MIXED])
            if done
            else "",
            stayed_neutral=Agreement.STRONGLY_AGREE if done else "",
            went_well="Ground rules agreed at the start." if done else "",
        )


def _follow_ups(meeting, rng, counts):
    """Older meetings that reached agreements: their follow-up survey went out."""
    if meeting.consensus not in (Consensus.ALL, Consensus.SOME) or meeting.follow_ups.exists():
        return
    if meeting.held_on > timezone.localdate() - datetime.timedelta(days=120):
        return
    for invitation in meeting.invitations.all():
        answered = rng.random() < 0.5
        FollowUp.objects.create(
            meeting=meeting,
            invitation=invitation,
            email=invitation.email,
            role=invitation.role,
            language=invitation.language,
            expires_at=timezone.now() - datetime.timedelta(days=1),
            used_at=timezone.now() - datetime.timedelta(days=5) if answered else None,
            agreements_held=_weighted(
                rng,
                [(AgreementsHeld.YES, 70), (AgreementsHeld.PARTLY, 22), (AgreementsHeld.NO, 8)],
            )
            if answered
            else "",
            further_dispute=(rng.random() < 0.1) if answered else None,
        )
        counts["follow_ups"] += 1


def seed(stdout):
    rng = random.Random(6)  # noqa: S311  (demo data, not security: the same demo every time)
    meetings = list(
        Meeting.objects.filter(status=MeetingStatus.HELD, imported=False, held_on__isnull=False)
        .select_related("request")
        .order_by("held_on", "id")
    )
    if not meetings:
        meetings = _create_held_meetings(stdout, rng)
    follow_up_rng = random.Random(66)  # noqa: S311  (demo data)
    counts = {"invitations": 0, "online": 0, "paper": 0, "follow_ups": 0}
    for meeting in meetings:
        _invite_and_answer(meeting, rng, counts)
        _follow_ups(meeting, follow_up_rng, counts)
    stdout.write(
        f"Evaluations: {len(meetings)} held meetings, {counts['invitations']} invitations, "
        f"{counts['online']} online and {counts['paper']} paper evaluations, "
        f"{counts['follow_ups']} follow-ups."
    )


def live_links():
    """``[(label, url)]``: an unused, unexpired survey link for the demo walk.

    Demo invitations age (they expire after FIEP_EVALUATION_EXPIRY_DAYS) or get used; when
    none is live, a demo participant is added to the latest held meeting and invited, as
    staff would (:func:`evaluations.services.participant_add`).
    """
    now = timezone.now()
    live = EvaluationInvitation.objects.filter(used_at__isnull=True, expires_at__gt=now)
    invitation = live.order_by("-expires_at").first()
    if invitation is None:
        meeting = (
            Meeting.objects.filter(status=MeetingStatus.HELD, imported=False)
            .order_by("-starts_at")
            .first()
        )
        staff = User.objects.filter(username="staff").first()
        if meeting is None or staff is None:
            return []
        number = meeting.participants.count() + 1
        invitation = services.participant_add(
            meeting=meeting,
            by=staff,
            role=ParticipantRole.PARENT,
            email=f"demo-walk-{number}@example.org",
            name=f"Demo participant {number}",
        )
    return [
        (f"Survey, {invitation.meeting.request.reference}", services.survey_url(invitation.token))
    ]
