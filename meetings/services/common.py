"""Helpers shared by the meeting services: the state's zone, recipients, messages."""

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from fiep.exceptions import ServiceError
from fiep.models import Language
from fiep.notifications import Event, notify
from fiep.zones import zone_name
from fiep_requests.models import MeetingFormat
from fiep_requests.services import letter_parties

from ..clock import local_zone
from ..ics import invitation_ics, invitation_mimetype

#: The format as the e-mails say it, translated here so parent-facing messages are
#: complete in Spanish whatever the requests app's catalogue holds.
FORMAT_LABELS = {
    MeetingFormat.IN_PERSON: _("In person"),
    MeetingFormat.VIDEO: _("Video"),
    MeetingFormat.PHONE: _("Phone"),
}


class ClaimLocked(ServiceError):
    """An approved (or submitted) payment claim cannot be changed."""


def facilitator_language(facilitator):
    user = getattr(facilitator, "user", None)
    return getattr(user, "preferred_language", "") or Language.ENGLISH


def meeting_recipients(meeting):
    """``[(email, name, language)]``: every participant with an e-mail, then the facilitator.

    Each address once (a parent listed twice gets one message).
    """
    seen, recipients = set(), []
    for participant in meeting.participants.all():
        email = participant.email.strip().lower()
        if email and email not in seen:
            seen.add(email)
            recipients.append((participant.email, participant.name, participant.language))
    facilitator = meeting.facilitator
    if facilitator is not None and facilitator.email.lower() not in seen:
        recipients.append(
            (facilitator.email, facilitator.full_name, facilitator_language(facilitator))
        )
    return recipients


def meeting_context(meeting):
    """What every meeting message shows: reference, local date and times, format, place."""
    zone = local_zone()
    return {
        "reference": meeting.request.reference,
        "starts": timezone.localtime(meeting.starts_at, zone) if meeting.starts_at else None,
        "ends": timezone.localtime(meeting.ends_at, zone) if meeting.ends_at else None,
        # The zone by name in the message's language ("hora del centro"), never its id.
        "time_zone": lazy(zone_name, str)(),
        "format_label": FORMAT_LABELS.get(meeting.format, ""),
        "location": meeting.location,
        "interpreter_language": meeting.interpreter_language,
        "facilitator_name": meeting.facilitator.full_name if meeting.facilitator_id else "",
    }


#: Meeting messages a party without e-mail gets by letter (a reminder would come late).
LETTER_EVENTS = {Event.MEETING_SCHEDULED, Event.MEETING_RESCHEDULED, Event.MEETING_CANCELLED}


def meeting_letter_parties(meeting):
    """The case's parties reached by letter (no e-mail, a mailing address), unless the
    participant list gives the same person an e-mail address."""
    emailed = {
        participant.name.strip().lower()
        for participant in meeting.participants.all()
        if participant.email.strip()
    }
    return [
        party
        for party in letter_parties(meeting.request)
        if party["name"].strip().lower() not in emailed
    ]


def notify_meeting(*, meeting, event, key, extra=None, attach_ics=True, cancel=False):
    """Queue ``event`` to every participant and the facilitator, each in their language.

    ``key`` makes the dedupe key (``meeting:<id>:<key>:<email>``) so a retried call sends
    nothing twice. The notices (``LETTER_EVENTS``) also go by letter to the case's parties
    without e-mail. Returns the number of messages (and letters) written.
    """
    calendars = {}  # one calendar file per language, in the reader's language

    def attachments(language):
        if not attach_ics:
            return ()
        if language not in calendars:
            calendars[language] = invitation_ics(meeting, cancel=cancel, language=language)
        return (("invitation.ics", invitation_mimetype(cancel=cancel), calendars[language]),)

    context = {**meeting_context(meeting), **(extra or {})}
    count = 0
    for email, name, language in meeting_recipients(meeting):
        notify(
            event=event,
            to_email=email,
            to_name=name,
            language=language,
            context={**context, "name": name},
            dedupe_key=f"meeting:{meeting.pk}:{key}:{email.lower()}"[:200],
            case_reference=meeting.request.reference,
            related=meeting,
            attachments=attachments(language),
        )
        count += 1
    if event in LETTER_EVENTS:
        for party in meeting_letter_parties(meeting):
            notify(
                event=event,
                to_email="",
                to_address=party["address"],
                to_name=party["name"],
                language=party["language"],
                context={**context, "name": party["name"]},
                dedupe_key=f"meeting:{meeting.pk}:{key}:letter:{party['role']}"[:200],
                case_reference=meeting.request.reference,
                related=meeting,
            )
            count += 1
    return count


def case_participants(case):
    """``[{"role", "name", "email", "language"}]``: the parent and the district contact of
    ``case`` (those named or with an e-mail), the participants a meeting starts with."""
    participants = []
    if case.parent_name or case.parent_email:
        participants.append(
            {
                "role": "parent",
                "name": case.parent_name,
                "email": case.parent_email,
                "language": case.parent_language or Language.ENGLISH,
            }
        )
    if case.district_contact_name or case.district_contact_email:
        participants.append(
            {
                "role": "administrator",
                "name": case.district_contact_name,
                "email": case.district_contact_email,
                "language": case.district_contact_language or Language.ENGLISH,
            }
        )
    return participants
