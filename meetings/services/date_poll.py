"""Date finding: the facilitator proposes up to four times, each party answers by a
private link (yes / if need be / no), and one click schedules the chosen time."""

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError
from fiep.models import Language
from fiep.notifications import Event, notify
from fiep.zones import zone_name
from fiep_requests.models import FacilitationRequest, MeetingFormat, RequestStatus

from ..clock import local_zone
from ..models import (
    Availability,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    DatePollParty,
    DatePollState,
    Meeting,
    MeetingStatus,
)
from ..selectors import live_date_polls
from .common import FORMAT_LABELS, case_participants
from .scheduling import _accepted_facilitator, meeting_schedule

#: The most candidate times one poll proposes.
MAX_OPTIONS = 4


def date_poll_url(token):
    return settings.SITE_URL + reverse("meetings:date-poll-answer", args=[token])


def date_poll_is_open(poll):
    """True while the parties' links take answers: the poll is the case's open one, the
    case still waits for its meeting to be scheduled, and the facilitator who proposed
    it (or since whose acceptance it was proposed) still holds the case."""
    if poll.state != DatePollState.OPEN or poll.request.status != RequestStatus.ASSIGNED:
        return False
    return live_date_polls().filter(pk=poll.pk).exists()


def _validate_times(times, now):
    times = [(s, e) for s, e in times if s is not None and e is not None]
    if not times:
        raise ServiceError(_("Propose at least one time."), code="no_times")
    if len(times) > MAX_OPTIONS:
        raise ServiceError(
            _("Propose at most %(count)s times.") % {"count": MAX_OPTIONS}, code="too_many"
        )
    for starts_at, ends_at in times:
        if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
            raise ValueError("times must be aware datetimes")
        if ends_at <= starts_at:
            raise ServiceError(_("Each time must end after it starts."), code="ends_before")
        if starts_at <= now:
            raise ServiceError(_("Every proposed time must be in the future."), code="past")
    if len({s for s, _e in times}) != len(times):
        raise ServiceError(_("The same time is proposed twice."), code="duplicate")
    return sorted(times)


def _parties(case):
    """The parties with an e-mail address: ``[(role, name, email, language)]``."""
    return [
        (p["role"], p["name"], p["email"], p["language"])
        for p in case_participants(case)
        if p["email"]
    ]


def _poll_context(poll, options):
    zone = local_zone()
    facilitator = _accepted_facilitator(poll.request)
    return {
        "reference": poll.request.reference,
        "options": [
            {
                "starts": timezone.localtime(o.starts_at, zone),
                "ends": timezone.localtime(o.ends_at, zone),
            }
            for o in options
        ],
        "time_zone": lazy(zone_name, str)(),
        "format_label": FORMAT_LABELS.get(poll.format, ""),
        "location": poll.location,
        "facilitator_name": facilitator.full_name,
    }


def date_poll_propose(*, request, by, times, format, location=""):
    """Put up to four candidate times for ``request``'s meeting to its parties.

    ``times`` is a list of ``(starts_at, ends_at)`` aware datetimes, each in the future.
    The case must be ``assigned`` with an accepted facilitator and no meeting yet (or a
    cancelled one); at least one party (parent, district contact) needs an e-mail.

    Side effects: the case's open poll, if any, becomes REPLACED (its links then say the
    poll is closed); a new DatePoll with its options and one DatePollParty (with a fresh
    private token) per party with an e-mail; a DATE_POLL message to each of them in
    their language, with their link.
    """
    if format not in MeetingFormat.values:
        raise ServiceError(_("Choose the meeting format."), field="format")
    now = timezone.now()
    times = _validate_times(times, now)
    with transaction.atomic():
        case = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        if case.status != RequestStatus.ASSIGNED:
            raise ServiceError(_("Times can be proposed only before the meeting is scheduled."))
        _accepted_facilitator(case)
        meeting = Meeting.objects.filter(request=case).first()
        if meeting is not None and meeting.status != MeetingStatus.CANCELLED:
            raise ServiceError(_("This case already has a meeting; reschedule it instead."))
        parties = _parties(case)
        if not parties:
            raise ServiceError(
                _(
                    "Neither party has an e-mail address: agree on a time by phone, then "
                    "schedule the meeting."
                ),
                code="no_parties",
            )
        DatePoll.objects.filter(request=case, state=DatePollState.OPEN).update(
            state=DatePollState.REPLACED, closed_at=now
        )
        poll = DatePoll.objects.create(
            request=case,
            format=format,
            location=location,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        options = DatePollOption.objects.bulk_create(
            DatePollOption(poll=poll, starts_at=s, ends_at=e) for s, e in times
        )
        context = _poll_context(poll, options)
        for role, name, email, language in parties:
            party = DatePollParty.objects.create(
                poll=poll,
                role=role,
                name=name[:200],
                email=email,
                language=language or Language.ENGLISH,
                token=secrets.token_urlsafe(32),
            )
            notify(
                event=Event.DATE_POLL,
                to_email=email,
                to_name=name,
                language=party.language,
                context={**context, "name": name, "poll_url": date_poll_url(party.token)},
                dedupe_key=f"date-poll:{poll.pk}:{party.pk}",
                case_reference=case.reference,
                related=poll,
            )
    return poll


def date_poll_answer(*, party, answers):
    """Record ``party``'s answers: ``{option id: Availability}`` for every option.

    Answering again replaces the earlier answers while the poll is open. Refused once the
    poll is replaced, a time was chosen or the case moved on.
    Side effects: DatePollAnswer rows (one per option) and the party's ``answered_at``.
    """
    with transaction.atomic():
        poll = (
            DatePoll.objects.select_for_update(of=("self",))
            .select_related("request")
            .get(pk=party.poll_id)
        )
        if not date_poll_is_open(poll):
            raise ServiceError(_("This poll is closed: the answers can no longer change."))
        option_ids = set(poll.options.values_list("id", flat=True))
        answers = {int(k): v for k, v in answers.items()}
        if set(answers) != option_ids:
            raise ServiceError(_("Answer for every proposed time."), code="incomplete")
        if any(value not in Availability.values for value in answers.values()):
            raise ServiceError(_("Answer yes, if need be, or no."), code="invalid")
        DatePollAnswer.objects.filter(party=party).delete()
        DatePollAnswer.objects.bulk_create(
            DatePollAnswer(party=party, option_id=option_id, answer=value)
            for option_id, value in sorted(answers.items())
        )
        party.answered_at = timezone.now()
        party.save(update_fields=["answered_at"])
    return party


def date_poll_schedule(*, poll, option, by):
    """Schedule the case's meeting at ``option`` of the open ``poll``, in one click.

    Runs :func:`meeting_schedule` with the poll's format and place and the case's parent
    and district contact as participants, so the invitations go out as for any
    scheduling (which also closes the poll as SCHEDULED).
    """
    if option.poll_id != poll.pk:
        raise ServiceError(_("That time is not one of this poll's."), code="other_poll")
    with transaction.atomic():
        locked = (
            DatePoll.objects.select_for_update(of=("self",))
            .select_related("request")
            .get(pk=poll.pk)
        )
        if not date_poll_is_open(locked):
            raise ServiceError(_("This poll is closed; propose new times or schedule directly."))
        return meeting_schedule(
            request=locked.request,
            by=by,
            starts_at=option.starts_at,
            ends_at=option.ends_at,
            format=locked.format,
            location=locked.location,
            participants=case_participants(locked.request),
        )
