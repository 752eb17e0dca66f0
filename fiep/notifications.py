"""One function sends every message: :func:`notify`.

A message is keyed by an :class:`Event`; its text lives in
``templates/emails/<event>/{subject.txt,body.txt,body.html}`` (in the owning app's
``templates`` folder) and is rendered in the recipient's language. Every message is an
:class:`~fiep.models.OutboxMessage` row written in the caller's transaction; the send is
queued only after commit, so a broker outage never loses or breaks a submission.

An administrator's wording of a message (``fiep.wording``, placeholders in
``fiep.placeholders``) replaces its templates.
A recipient without an e-mail address but with a postal address gets the same event as a
:class:`~fiep.models.Letter` instead (``fiep.letters``): its wording is
``templates/letters/<event>/{subject.txt,body.txt}`` when that exists, else the e-mail's
text; staff print and mail it from the print batch.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .branding import branding_context
from .letters import letter_write
from .models import Language, OutboxMessage
from .services import outbox_enqueue
from .wording import render_wording, saved_wording

logger = logging.getLogger(__name__)


class Event(models.TextChoices):
    """Every kind of message the program sends. Add a member, its three templates and its
    placeholders (``fiep.placeholders.PLACEHOLDERS``)."""

    REQUEST_RECEIVED = "request_received"
    CONSENT_REQUESTED = "consent_requested"
    CONSENT_REMINDER = "consent_reminder"
    CONSENT_GIVEN = "consent_given"
    REQUEST_CLOSED = "request_closed"
    REQUEST_APPROVED = "request_approved"
    REQUEST_DENIED = "request_denied"
    REQUEST_WITHDRAWN = "request_withdrawn"
    FACILITATOR_ASSIGNED = "facilitator_assigned"
    FACILITATOR_DECLINED = "facilitator_declined"
    FACILITATOR_RELEASED = "facilitator_released"
    MEETING_SCHEDULED = "meeting_scheduled"
    MEETING_RESCHEDULED = "meeting_rescheduled"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_REMINDER = "meeting_reminder"
    DATE_POLL = "date_poll"
    OUTCOME_OVERDUE = "outcome_overdue"
    MEETING_SUMMARY = "meeting_summary"
    EVALUATION_INVITATION = "evaluation_invitation"
    EVALUATION_REMINDER = "evaluation_reminder"
    FACILITATOR_SELF_EVALUATION = "facilitator_self_evaluation"
    EVALUATION_FOLLOW_UP = "evaluation_follow_up"
    CLAIM_RETURNED = "claim_returned"
    MFA_ENROLMENT = "mfa_enrolment"
    TEST_MESSAGE = "test_message"


def render_message(*, event, language, context, channel="email", wording=None):
    """Render ``(subject, text, html)`` for ``event`` in ``language``.

    An administrator's wording for (event, channel, language) (``fiep.wording``) replaces
    the default templates; ``wording`` (anything with ``subject`` and ``body``) renders an
    unsaved text instead (the editor's preview).

    ``channel="letter"``: the wording of a paper letter, ``letters/<event>/subject.txt``
    and ``body.txt`` where they exist, else the e-mail's; ``html`` is then empty.
    """
    base = {
        **branding_context(),  # lazy: the agency's name in the message's language
        "SITE_URL": settings.SITE_URL,
        "LANGUAGE_CODE": language,
        **context,
    }
    folder = f"emails/{Event(event).value}"
    with translation.override(language):
        if wording is None:
            wording = saved_wording(event=Event(event).value, channel=channel, language=language)
        elif not isinstance(wording, dict):  # an unsaved MessageWording (the preview)
            wording = {"subject": wording.subject, "body": wording.body}
        if wording is not None:
            rendered = render_wording(
                event=Event(event).value,
                channel=channel,
                subject=wording["subject"],
                body=wording["body"],
                context=base,
            )
            if rendered is not None:
                return rendered if channel != "letter" else (*rendered[:2], "")
        if channel == "letter":
            letter = f"letters/{Event(event).value}"
            subject = render_to_string([f"{letter}/subject.txt", f"{folder}/subject.txt"], base)
            text = render_to_string([f"{letter}/body.txt", f"{folder}/body.txt"], base)
            return " ".join(subject.split()), text, ""
        subject = " ".join(render_to_string(f"{folder}/subject.txt", base).split())
        text = render_to_string(f"{folder}/body.txt", base)
        # The subject is also the HTML part's <title> (emails/base.html), never empty.
        html = render_to_string(f"{folder}/body.html", {**base, "subject": subject})
    return subject, text, html


def notify(
    *,
    event,
    to_email,
    language,
    context,
    dedupe_key,
    to_name="",
    case_reference="",
    related=None,
    attachments=(),
    to_address="",
    enclosure_html="",
):
    """Queue one message to one person in their language.

    A person without an e-mail address (``to_email`` empty) but with a postal address
    (``to_address``) gets a letter instead: a :class:`~fiep.models.Letter` with the same
    event's wording for the ``letter`` channel (links printed as short links) and
    ``enclosure_html`` (a printable form) queued in the print batch; with neither,
    nothing is written and None is returned.

    Side effects: writes an OutboxMessage (or returns the existing one with the same
    ``dedupe_key``: calling twice sends once) and, after the surrounding transaction
    commits, queues the ``fiep.outbox_send`` task. ``attachments`` are
    ``(filename, mimetype, text)`` triples (calendar files).

    Insert-or-ignore: two concurrent retries that both find no row both try to insert;
    the unique ``dedupe_key`` lets one win, and the other's insert fails only inside its
    own savepoint, so its surrounding change still commits and it returns the winner's row.
    """
    if language not in Language.values:
        language = Language.ENGLISH
    if not to_email:
        if not (to_address or "").strip():
            return None
        return letter_write(
            event=Event(event).value,
            render=lambda letter_context: render_message(
                event=event, language=language, context=letter_context, channel="letter"
            ),
            to_name=to_name,
            to_address=to_address,
            language=language,
            context=context,
            dedupe_key=dedupe_key,
            case_reference=case_reference,
            related=related,
            enclosure_html=enclosure_html,
        )
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    fields = _message_fields(
        event=event,
        to_email=to_email,
        language=language,
        context=context,
        dedupe_key=dedupe_key,
        to_name=to_name,
        case_reference=case_reference,
        related=related,
        attachments=attachments,
    )
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(**fields)
    except IntegrityError:
        # A concurrent retry inserted the same key first (and has committed: PostgreSQL
        # made this insert wait for it); its row is the message and it queues the send.
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: _queue_send(message.pk), robust=True)
    return message


def notify_new(messages):
    """Queue several messages whose ``dedupe_key`` cannot exist yet (the first messages
    of a record created in the same transaction): one insert for all, no look-up.

    ``messages`` are dicts of :func:`notify`'s keyword arguments. Side effects as
    :func:`notify`'s (a recipient without e-mail gets a letter through :func:`notify`);
    a key that does exist after all fails the surrounding transaction
    (IntegrityError) instead of being skipped. Returns the OutboxMessages.
    """
    rows = []
    for kwargs in messages:
        if not kwargs.get("to_email"):  # a letter, or nothing (see notify)
            notify(**kwargs)
            continue
        kwargs = {k: v for k, v in kwargs.items() if k not in ("to_address", "enclosure_html")}
        if kwargs.get("language") not in Language.values:
            kwargs = {**kwargs, "language": Language.ENGLISH}
        rows.append(OutboxMessage(**_message_fields(**kwargs)))
    if not rows:
        return []
    created = OutboxMessage.objects.bulk_create(rows)
    for message in created:
        if message.pk is None:  # a database that does not return ids: find them
            message.pk = OutboxMessage.objects.get(dedupe_key=message.dedupe_key).pk
        transaction.on_commit(lambda pk=message.pk: _queue_send(pk), robust=True)
    return created


def _message_fields(
    *,
    event,
    to_email,
    language,
    context,
    dedupe_key,
    to_name="",
    case_reference="",
    related=None,
    attachments=(),
):
    subject, text, html = render_message(event=event, language=language, context=context)
    return {
        "event": Event(event).value,
        "dedupe_key": dedupe_key,
        "recipient_email": to_email,
        "recipient_name": to_name,
        "language": language,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "attachments": [
            {"filename": name, "mimetype": mimetype, "content": content}
            for name, mimetype, content in attachments
        ],
        "case_reference": case_reference,
        "content_type": ContentType.objects.get_for_model(related) if related is not None else None,
        "object_id": str(related.pk) if related is not None else "",
    }


def _queue_send(message_id):
    # Through the broker guard: a broker that just failed is skipped (the sweeper sends).
    outbox_enqueue(message_id=message_id)
