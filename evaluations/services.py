"""Every write of the evaluations app: invitations, reminders, resends, the online survey,
the facilitator's self-evaluation and paper entry by staff.

Functions are keyword-only; each docstring names its side effects. Messages go out only
through :func:`fiep.notifications.notify` (an outbox row in the same transaction, sent
after commit).
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError
from fiep.models import Language
from fiep.notifications import Event, notify
from fiep_requests.services import letter_parties
from meetings.models import Meeting, MeetingStatus, Participant, ParticipantRole

from .documents import paper_form_html
from .models import (
    Agreement,
    ConcernsRaised,
    Evaluation,
    EvaluationInvitation,
    EvaluationSource,
    FacilitatorSelfEvaluation,
    Relationship,
    Satisfaction,
    SelfRating,
)

logger = logging.getLogger(__name__)

#: The survey items and the values each accepts; "" (or None) means "not answered".
CHOICE_ITEMS = {
    "satisfaction": Satisfaction,
    "concerns_raised": ConcernsRaised,
    "facilitator_listened": Agreement,
    "facilitator_neutral": Agreement,
    "facilitator_focused": Agreement,
    "relationship": Relationship,
}
ANSWER_KEYS = {"respondent_role", *CHOICE_ITEMS, "would_recommend", "comments"}
SELF_ANSWER_KEYS = {"overall", "stayed_neutral", "went_well", "do_differently"}


class EvaluationError(ServiceError):
    """A write was refused; the message is fit to show to the person."""


class InvitationUnavailable(EvaluationError):
    """The link was already used or has expired. ``reason`` is ``"used"`` or ``"expired"``."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(
            _("This survey link has already been used.")
            if reason == "used"
            else _("This survey link has expired.")
        )


def expiry_days():
    return settings.FIEP_EVALUATION_EXPIRY_DAYS


def reminder_days_before():
    """Days before expiry when the one reminder goes out (at most half the link's life)."""
    days = settings.FIEP_EVALUATION_REMINDER_DAYS_BEFORE
    return max(1, min(days, expiry_days() // 2))


def survey_url(token):
    return settings.SITE_URL + reverse("evaluations:survey", args=[token])


def self_evaluation_url(token):
    return settings.SITE_URL + reverse("evaluations:self-evaluation", args=[token])


def _invitation_context(invitation):
    return {
        "survey_url": survey_url(invitation.token),
        "expires_at": invitation.expires_at,
        "held_on": invitation.meeting.held_on,
    }


def _send_invitation_message(invitation, *, dedupe_suffix=""):
    return notify(
        event=Event.EVALUATION_INVITATION,
        to_email=invitation.email,
        language=invitation.language,
        context=_invitation_context(invitation),
        dedupe_key=f"evaluation_invitation:{invitation.pk}{dedupe_suffix}",
        case_reference=invitation.meeting.request.reference,
        related=invitation,
    )


def invitations_send(*, meeting):
    """Invite every participant of a held ``meeting`` who has an e-mail, and the facilitator;
    mail the paper survey to the case's parties without e-mail (a letter with the form).

    Idempotent: a participant (by e-mail, case-insensitively) already invited is skipped,
    so a second call sends nothing new. The meeting row is locked so two calls at once
    cannot both invite. Meetings that were not held get no invitations.

    Side effects: one EvaluationInvitation and one EVALUATION_INVITATION outbox message per
    new participant, in their language; a FacilitatorSelfEvaluation and one
    FACILITATOR_SELF_EVALUATION message the first time (if the meeting has a facilitator
    with an e-mail). Returns the list of new invitations.
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("request", "facilitator__user")
            .get(pk=meeting.pk)
        )
        if meeting.status != MeetingStatus.HELD:
            logger.info("meeting %s was not held: no evaluation invitations", meeting.pk)
            return []
        expires_at = timezone.now() + datetime.timedelta(days=expiry_days())
        invited = {email.lower() for email in meeting.invitations.values_list("email", flat=True)}
        created = []
        for participant in meeting.participants.exclude(email="").order_by("id"):
            email = participant.email.strip()
            if not email or email.lower() in invited:
                continue
            invited.add(email.lower())
            invitation = EvaluationInvitation.objects.create(
                meeting=meeting,
                participant=participant,
                email=email,
                role=participant.role,
                language=participant.language
                if participant.language in Language.values
                else Language.ENGLISH,
                expires_at=expires_at,
            )
            _send_invitation_message(invitation)
            created.append(invitation)
        _paper_survey_letters(meeting=meeting, emailed=invited)
        _self_evaluation_send(meeting=meeting, expires_at=expires_at)
    return created


def invitations_sweep(*, now=None):
    """Invite the participants of held meetings whose invitations were never made (beat,
    hourly).

    A recorded outcome invites after its commit, in the same process
    (``meetings.signals.outcome_recorded``); a process that dies between the two commits,
    or a database error in that second step, would leave the meeting without surveys.
    This finds held meetings whose outcome was recorded more than 10 minutes ago and
    within the survey's life (FIEP_EVALUATION_EXPIRY_DAYS) that have a participant with
    an e-mail address and no invitation at all, and runs :func:`invitations_send`
    (idempotent) for each. Returns the number of invitations made.
    """
    now = now or timezone.now()
    missing = (
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            outcome_recorded_at__lt=now - datetime.timedelta(minutes=10),
            outcome_recorded_at__gte=now - datetime.timedelta(days=expiry_days()),
        )
        .filter(Exists(Participant.objects.filter(meeting=OuterRef("pk")).exclude(email="")))
        .exclude(Exists(EvaluationInvitation.objects.filter(meeting=OuterRef("pk"))))
        .order_by("pk")
    )
    made = 0
    for meeting in missing:
        try:
            made += len(invitations_send(meeting=meeting))
        except Exception:  # noqa: BLE001  (one meeting's failure must not stop the others)
            logger.exception("invitations sweep: meeting %s failed", meeting.pk)
    if made:
        logger.warning("invitations sweep: %s invitations made after the fact", made)
    return made


def paper_form_number(meeting, role):
    """The number printed on a mailed paper survey, which staff type in when it comes
    back (so the same form cannot be entered twice)."""
    return f"L{meeting.pk}-{role[:1].upper()}"


def _paper_survey_letters(*, meeting, emailed):
    """The paper survey by letter to each party of the case without e-mail (a mailing
    address instead), unless the participant list gave that person an e-mail address.
    Idempotent (one letter per meeting and party)."""
    names = {
        p.name.strip().lower()
        for p in meeting.participants.all()
        if p.email.strip().lower() in emailed
    }
    for party in letter_parties(meeting.request):
        if party["name"].strip().lower() in names:
            continue
        number = paper_form_number(meeting, party["role"])
        notify(
            event=Event.EVALUATION_INVITATION,
            to_email="",
            to_address=party["address"],
            to_name=party["name"],
            language=party["language"],
            context={
                "name": party["name"],
                "held_on": meeting.held_on,
                "reference": meeting.request.reference,
                "form_number": number,
            },
            dedupe_key=f"evaluation_letter:{meeting.pk}:{party['role']}",
            case_reference=meeting.request.reference,
            related=meeting,
            enclosure_html=paper_form_html(
                meeting=meeting, language=party["language"], form_number=number
            ),
        )


def _self_evaluation_send(*, meeting, expires_at):
    facilitator = meeting.facilitator
    if facilitator is None or not facilitator.email:
        return None
    if FacilitatorSelfEvaluation.objects.filter(meeting=meeting).exists():
        return None
    user = facilitator.user
    language = getattr(user, "preferred_language", "") or Language.ENGLISH
    self_evaluation = FacilitatorSelfEvaluation.objects.create(
        meeting=meeting, facilitator=facilitator, language=language, expires_at=expires_at
    )
    notify(
        event=Event.FACILITATOR_SELF_EVALUATION,
        to_email=facilitator.email,
        to_name=str(facilitator),
        language=language,
        context={
            "name": facilitator.first_name,
            "reference": meeting.request.reference,
            "held_on": meeting.held_on,
            "self_evaluation_url": self_evaluation_url(self_evaluation.token),
            "expires_at": expires_at,
        },
        dedupe_key=f"facilitator_self_evaluation:{self_evaluation.pk}",
        case_reference=meeting.request.reference,
        related=self_evaluation,
    )
    return self_evaluation


def participant_add(*, meeting, by, role, email, language=Language.ENGLISH, name=""):
    """Staff add a participant to a held meeting and invite them at once.

    Refuses an e-mail already invited to this meeting. Side effects: a meetings
    Participant row and (through :func:`invitations_send`) one invitation and message.
    Returns the new invitation.
    """
    email = (email or "").strip()
    if not email:
        raise EvaluationError(_("Enter the participant's e-mail address."))
    if role not in ParticipantRole.values:
        raise EvaluationError(_("Choose the participant's role."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if meeting.status != MeetingStatus.HELD:
            raise EvaluationError(_("Only a meeting that was held can be evaluated."))
        if meeting.invitations.filter(email__iexact=email).exists():
            raise EvaluationError(_("This e-mail address was already invited."))
        Participant.objects.create(
            meeting=meeting, role=role, email=email, language=language, name=name
        )
        created = invitations_send(meeting=meeting)
    logger.info("user %s added an evaluation participant to meeting %s", by.pk, meeting.pk)
    return next((i for i in created if i.email.lower() == email.lower()), None)


def invitation_resend(*, invitation, by):
    """Send an unanswered invitation's link again; an expired link gets a fresh expiry.

    Side effects: the invitation's ``resend_count`` (and ``expires_at`` if it had expired;
    its reminder flag is cleared so the one reminder can follow); one new
    EVALUATION_INVITATION outbox message. Refuses an answered invitation.
    """
    with transaction.atomic():
        locked = (
            EvaluationInvitation.objects.select_for_update(of=("self",))
            .select_related("meeting__request")
            .get(pk=invitation.pk)
        )
        if locked.used_at is not None:
            raise EvaluationError(_("This participant has already answered."))
        now = timezone.now()
        if locked.expires_at <= now:
            locked.expires_at = now + datetime.timedelta(days=expiry_days())
            locked.reminded_at = None
        locked.resend_count += 1
        locked.save(update_fields=["expires_at", "reminded_at", "resend_count"])
        _send_invitation_message(locked, dedupe_suffix=f":resend:{locked.resend_count}")
    logger.info("user %s resent evaluation invitation %s", by.pk, locked.pk)
    return locked


def reminders_send(*, now=None):
    """Send the one reminder to each unanswered invitation close to its expiry.

    An invitation is due when it is unanswered, not yet reminded, not expired, and expires
    within ``FIEP_EVALUATION_REMINDER_DAYS_BEFORE`` days. Rows are claimed with
    ``select_for_update(skip_locked=True)`` so two workers never remind twice. Side effects:
    ``reminded_at`` and one EVALUATION_REMINDER outbox message per invitation. Returns the
    number sent.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=reminder_days_before())
    sent = 0
    with transaction.atomic():
        due = (
            EvaluationInvitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__request")
            .filter(
                used_at__isnull=True,
                reminded_at__isnull=True,
                expires_at__gt=now,
                expires_at__lte=horizon,
            )
        )
        for invitation in due:
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            notify(
                event=Event.EVALUATION_REMINDER,
                to_email=invitation.email,
                language=invitation.language,
                context=_invitation_context(invitation),
                dedupe_key=f"evaluation_reminder:{invitation.pk}:{invitation.expires_at:%Y%m%d}",
                case_reference=invitation.meeting.request.reference,
                related=invitation,
            )
            sent += 1
    return sent


def _clean_answers(answers):
    """Check survey answers; unanswered items become "" (or None), never a default."""
    unknown = set(answers) - ANSWER_KEYS
    if unknown:
        raise EvaluationError(f"Unknown survey item(s): {', '.join(sorted(unknown))}")
    role = answers.get("respondent_role") or ""
    if role not in ParticipantRole.values:
        raise EvaluationError(_("Please tell us your role in the meeting."))
    cleaned = {"respondent_role": role}
    for item, choices in CHOICE_ITEMS.items():
        value = answers.get(item) or ""
        if value and value not in choices.values:
            raise EvaluationError(f"{item}: {value!r} is not a valid answer")
        cleaned[item] = value
    recommend = answers.get("would_recommend")
    if recommend in ("", None):
        recommend = None
    elif recommend in (True, "yes", "True", "true"):
        recommend = True
    elif recommend in (False, "no", "False", "false"):
        recommend = False
    else:
        raise EvaluationError(f"would_recommend: {recommend!r} is not a valid answer")
    cleaned["would_recommend"] = recommend
    cleaned["comments"] = (answers.get("comments") or "").strip()
    return cleaned


def invitation_state(invitation, *, now=None):
    """``"open"``, ``"used"`` or ``"expired"``."""
    if invitation.used_at is not None:
        return "used"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


def link_lock_open(link):
    """Lock a personal link's row (inside a transaction) and return it if still open;
    raise :class:`InvitationUnavailable` if it was used or has expired meanwhile.
    """
    locked = type(link).objects.select_for_update().get(pk=link.pk)
    state = invitation_state(locked)
    if state != "open":
        raise InvitationUnavailable(state)
    return locked


def evaluation_submit(*, invitation, answers, language=None):
    """Store one participant's answers from their personal link and close the link.

    Locks the invitation (``select_for_update``) so a double submit stores one evaluation;
    refuses a used or expired link with :class:`InvitationUnavailable` and bad answers
    with :class:`EvaluationError`. Skipped items are stored as not answered. The role the
    invitation records (from the meeting's participant list) is the respondent's role;
    only an invitation without one takes the role from the answers.
    Side effects: one Evaluation (source online) and the invitation's ``used_at``.
    """
    if invitation.role in ParticipantRole.values:
        answers = {**answers, "respondent_role": invitation.role}
    cleaned = _clean_answers(answers)
    with transaction.atomic():
        locked = link_lock_open(invitation)
        now = timezone.now()
        evaluation = Evaluation.objects.create(
            meeting_id=locked.meeting_id,
            invitation=locked,
            response_id=f"online-{locked.pk}",
            source=EvaluationSource.ONLINE,
            submitted_on=timezone.localdate(now),
            language=language if language in Language.values else locked.language,
            **cleaned,
        )
        locked.used_at = now
        locked.save(update_fields=["used_at"])
    invitation.used_at = locked.used_at
    return evaluation


def paper_evaluation_enter(*, meeting, by, response_id, answers, language=Language.ENGLISH):
    """Staff type in a paper evaluation of a held ``meeting``.

    ``response_id`` is the number written on the paper form; it must be new for the
    meeting, so entering the same form twice is refused. Side effects: one Evaluation
    (source paper, ``entered_by``).
    """
    response_id = (response_id or "").strip()
    if not response_id:
        raise EvaluationError(_("Enter the number written on the paper form."))
    cleaned = _clean_answers(answers)
    if meeting.status != MeetingStatus.HELD:
        raise EvaluationError(_("Only a meeting that was held can be evaluated."))
    paper_id = f"paper-{response_id}"
    duplicate = EvaluationError(
        _("A paper form with this number was already entered for this meeting.")
    )
    if Evaluation.objects.filter(meeting=meeting, response_id=paper_id).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                meeting=meeting,
                response_id=paper_id,
                source=EvaluationSource.PAPER,
                submitted_on=timezone.localdate(),
                language=language if language in Language.values else Language.ENGLISH,
                entered_by=by,
                **cleaned,
            )
    except IntegrityError:  # the same form entered twice at the same moment
        raise duplicate from None


def self_evaluation_submit(*, self_evaluation, answers):
    """Store the facilitator's self-evaluation and close its link (single use).

    Side effects: the answers and ``used_at`` on the FacilitatorSelfEvaluation.
    """
    unknown = set(answers) - SELF_ANSWER_KEYS
    if unknown:
        raise EvaluationError(f"Unknown item(s): {', '.join(sorted(unknown))}")
    overall = answers.get("overall") or ""
    neutral = answers.get("stayed_neutral") or ""
    if overall and overall not in SelfRating.values:
        raise EvaluationError(f"overall: {overall!r} is not a valid answer")
    if neutral and neutral not in Agreement.values:
        raise EvaluationError(f"stayed_neutral: {neutral!r} is not a valid answer")
    with transaction.atomic():
        locked = link_lock_open(self_evaluation)
        locked.overall = overall
        locked.stayed_neutral = neutral
        locked.went_well = (answers.get("went_well") or "").strip()
        locked.do_differently = (answers.get("do_differently") or "").strip()
        locked.used_at = timezone.now()
        locked.save()
    return locked
