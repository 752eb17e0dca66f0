"""Writes of the shared core: the access log, districts, and the outbox.

Every function is keyword-only; its docstring names its side effects.
"""

import csv
import datetime
import functools
import io
import ipaddress
import logging
import os
import socket
import time
import uuid

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import wording
from .branding import forget_saved_branding
from .broker import enqueue
from .exceptions import ServiceError
from .mail import OutboxEmail, attach_all
from .models import (
    AccessAction,
    AccessLog,
    Branding,
    District,
    Heartbeat,
    MessageChannel,
    MessageWording,
    OutboxMessage,
    OutboxStatus,
    Region,
)
from .placeholders import PLACEHOLDERS
from .rules import role_of

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address (rate limits, the access log, the consent record).

    REMOTE_ADDR, unless that is one of ``settings.FIEP_TRUSTED_PROXIES``: then the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy. Each proxy
    appends the address it was connected from, so only the part left of the first
    trusted hop can be forged by the client, and that part is never read. A header that
    is missing, or a hop that is not an address, gives the proxy's own address (one
    shared count is safer than a guess)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = _trusted_proxies(tuple(settings.FIEP_TRUSTED_PROXIES))
    if not proxies or not _within(_address(remote), proxies):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop.strip())
        if address is None:
            return remote
        if not _within(address, proxies):
            return str(address)
    return remote


@functools.cache
def _trusted_proxies(networks):
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _address(text):
    """``text`` as an IP address (``[v6]`` brackets and an IPv4 ``:port`` allowed), or None."""
    if not text or len(text) > 64:
        return None
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(address, networks):
    return address is not None and any(
        address.version == network.version and address in network for network in networks
    )


def access_log_record(
    *, user, case_reference, purpose, action=AccessAction.VIEW, obj=None, request=None
):
    """Record that ``user`` looked at (or was refused) a student's record.

    Call it *before* the record is rendered: if the row cannot be written the exception
    propagates and the record is not shown. Writes one AccessLog row; nothing else.
    """
    if not purpose:
        raise ValueError("An access-log entry needs the purpose of the access.")
    authenticated = getattr(user, "is_authenticated", False)
    return AccessLog.objects.create(
        user=user if authenticated else None,
        role=role_of(user),
        case_reference=case_reference,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        action=action,
        purpose=purpose[:200],
        request_id=getattr(request, "request_id", "") if request is not None else "",
        ip_address=client_ip(request),
    )


def access_log_record_many(*, user, case_references, purpose, action, request=None):
    """One :func:`access_log_record` row per case in ``case_references`` (an export that
    names many cases), written in one bulk insert before the export is handed out."""
    if not purpose:
        raise ValueError("An access-log entry needs the purpose of the access.")
    authenticated = getattr(user, "is_authenticated", False)
    common = {
        "user": user if authenticated else None,
        "role": role_of(user),
        "action": action,
        "purpose": purpose[:200],
        "request_id": getattr(request, "request_id", "") if request is not None else "",
        "ip_address": client_ip(request),
    }
    return AccessLog.objects.bulk_create(
        [AccessLog(case_reference=reference, **common) for reference in case_references],
        batch_size=1000,
    )


def branding_set(
    *, by, logo=None, remove_logo=False, logo_alt_en="", logo_alt_es="", primary="", accent=""
):
    """Save the agency's logo and colours (the one :class:`Branding` row; its history
    records the change and ``by``). ``logo`` is ``(png_bytes, width, height)`` from
    :func:`fiep.branding.clean_logo`, or None to keep the current one (``remove_logo``
    drops it). Validation is the form's (``fiep.forms.BrandingForm``). Side effects: the
    row saved, the cached branding dropped once the change commits."""
    with transaction.atomic():
        row = Branding.objects.select_for_update().filter(pk=1).first() or Branding(pk=1)
        if remove_logo:
            row.logo, row.logo_width, row.logo_height = b"", 0, 0
        if logo is not None:
            row.logo, row.logo_width, row.logo_height = logo
        row.logo_alt_en = logo_alt_en.strip()
        row.logo_alt_es = logo_alt_es.strip()
        row.primary_colour = primary
        row.accent_colour = accent
        row.updated_by = by
        row._history_user = by
        row.save()
        forget_saved_branding()
    return row


class CsvLoadError(ValueError):
    """A CSV load found problems; ``errors`` holds every ``FILE:LINE: …`` message."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def districts_load_csv(*, text, filename="districts.csv"):
    """Create or update districts (and their regions) from CSV ``code,name,region``.

    All or nothing: any bad row raises CsvLoadError listing every problem and nothing is
    written. Returns ``(created, updated, unchanged)``.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = {"code", "name", "region"} - set(header)
    if missing:
        raise CsvLoadError([f"{filename}:1: missing column(s): {', '.join(sorted(missing))}"])
    errors, rows, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        for column in ("code", "name", "region"):
            if not row.get(column):
                errors.append(f"{filename}:{line}: column {column}: required")
        if row.get("code") in seen:
            errors.append(f"{filename}:{line}: column code: duplicate {row['code']}")
        seen.add(row.get("code"))
        rows.append(row)
    if errors:
        raise CsvLoadError(errors)
    counts = [0, 0, 0]
    with transaction.atomic():
        for row in rows:
            region, _ = Region.objects.get_or_create(name=row["region"])
            district = District.objects.filter(code=row["code"]).first()
            if district is None:
                District.objects.create(code=row["code"], name=row["name"], region=region)
                counts[0] += 1
            elif (district.name, district.region_id) != (row["name"], region.pk):
                district.name, district.region = row["name"], region
                district.save(update_fields=["name", "region"])
                counts[1] += 1
            else:
                counts[2] += 1
    return tuple(counts)


def _worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


def retry_delays():
    """Seconds to wait after the 1st, 2nd … failed try; after the last, the message is
    "not delivered" and shown to staff. The default spreads 12 tries over 24.3 hours."""
    return [int(d) for d in settings.FIEP_OUTBOX_RETRY_DELAYS]


def _due():
    """Rows a sender may claim now: pending and due, or "sending" under a lease that ran
    out (the worker died mid-conversation)."""
    now = timezone.now()
    return Q(status=OutboxStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=OutboxStatus.SENDING, leased_until__lt=now)


def outbox_claim(*, message_id, worker=None):
    """Claim one due outbox row for sending: ``(message, worker)`` or ``(None, None)``.

    Side effects: in its own transaction, locks the row (``select_for_update(skip_locked)``:
    a row another sender holds is skipped, never waited for), marks it "sending",
    ``claimed_by=worker``, ``leased_until`` now + FIEP_OUTBOX_LEASE_SECONDS, one more
    attempt. A row already sent, cancelled, given up on, or leased by a live worker is
    not claimed: a redelivered task or an overlapping sweep sends nothing.
    """
    worker = worker or _worker_name()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_due(), pk=message_id)
            .first()
        )
        if message is None:
            return None, None
        message.status = OutboxStatus.SENDING
        message.claimed_by = worker
        message.leased_until = timezone.now() + datetime.timedelta(
            seconds=settings.FIEP_OUTBOX_LEASE_SECONDS
        )
        message.attempts += 1
        message.save(update_fields=["status", "claimed_by", "leased_until", "attempts"])
    return message, worker


def _email_of(message):
    email = OutboxEmail(
        subject=message.subject,
        body=message.body_text,
        to=[message.recipient_email],
        # The row's own Message-ID: every try of this row is the same message.
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    attach_all(email, message.attachments)
    return email


def heartbeat_record(*, name, ok=True, detail=""):
    """Write the last sign of life of ``name`` (``worker``, ``smtp``) for /health/.
    Side effects: one Heartbeat row upserted."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"at": timezone.now(), "ok": ok, "detail": detail[:500]}
    )


def _record_try(mine, lease_ends, **fields):
    """Write the result of an SMTP conversation to the claimed row. If the database went
    away meanwhile, keep trying while the lease holds: a result that is never written
    would let another sender take the row over and send the message a second time."""
    while True:
        try:
            return mine.update(**fields)
        except (OperationalError, InterfaceError):
            if time.monotonic() > lease_ends - 2:
                raise
            connection.close()  # reconnect on the next try
            time.sleep(1)


def outbox_deliver(*, message_id):
    """Send one outbox message by e-mail, at most once per claim.

    1. claim the row (:func:`outbox_claim`) and commit the claim;
    2. hold the SMTP conversation with no transaction open (EMAIL_TIMEOUT bounds it);
    3. right after, mark it sent (or schedule the next try) — only if the claim is still
       ours.

    Side effects: the row's status, attempts, ``sent_at`` / ``last_error`` /
    ``next_attempt_at``; one e-mail; the ``smtp`` heartbeat. Returns True when sent,
    False when the try failed, None when there was nothing to claim.
    After the last try of :func:`retry_delays` the row is "failed" (not delivered) and
    appears on the staff home. Only if the worker dies between the server's acceptance and
    step 3 can the message go out again — with the same Message-ID.
    """
    message, worker = outbox_claim(message_id=message_id)
    if message is None:
        return None
    mine = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claimed_by=worker
    )
    lease_ends = time.monotonic() + settings.FIEP_OUTBOX_LEASE_SECONDS
    try:
        _email_of(message).send()
    except Exception as exc:  # noqa: BLE001  (SMTP, OS, or backend errors: keep any cause)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        delays = retry_delays()
        if message.attempts <= len(delays):
            status = OutboxStatus.PENDING
            next_at = timezone.now() + datetime.timedelta(seconds=delays[message.attempts - 1])
        else:
            status, next_at = OutboxStatus.FAILED, None
        _record_try(
            mine,
            lease_ends,
            status=status,
            last_error=error,
            next_attempt_at=next_at,
            claimed_by="",
            leased_until=None,
        )
        heartbeat_record(name="smtp", ok=False, detail=error)
        logger.warning(
            "outbox message %s try %s failed (%s): %s", message.pk, message.attempts, status, error
        )
        return False
    updated = _record_try(
        mine,
        lease_ends,
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        claimed_by="",
        leased_until=None,
    )
    if not updated:
        # The lease ran out mid-conversation and another sender took the row over.
        logger.warning("outbox message %s: sent after its lease ran out", message.pk)
    heartbeat_record(name="smtp", ok=True)
    return True


def outbox_pending_ids(*, limit=200):
    """Ids of messages the sweeper should (re)try now, oldest first: pending and due, or
    "sending" with a lease that ran out."""
    return list(
        OutboxMessage.objects.filter(_due())
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_resend(*, message_ids, by=None):
    """Send "not delivered" messages again (staff's "Resend").

    Side effects: each failed row in ``message_ids`` becomes pending with a fresh
    schedule of tries (attempts 0); after commit, one ``fiep.outbox_send`` per row.
    Returns the number of rows queued.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: outbox_enqueue(message_id=pk), robust=True)
    logger.info("outbox: %s message(s) queued again by %s", len(ids), by)
    return len(ids)


def outbox_enqueue(*, message_id):
    """Queue ``fiep.outbox_send`` for one row (called after commit). With the broker
    unreachable this raises after the broker timeouts (about 2 s); callers register it
    with ``on_commit(..., robust=True)``: the row is stored, the sweeper sends it."""
    # By name: task modules are leaves.
    enqueue(current_app.tasks["fiep.outbox_send"], message_id)


# --- Message wording ------------------------------------------------------------------


def wording_save(*, event, channel, language, subject, body, by):
    """Store an administrator's wording of one message in one channel and language.

    Refuses a text that does not validate (``ServiceError`` on the field, every located
    error listed). Side effects: the MessageWording row is created or changed and a
    history row names ``by``; the next message of that kind to a reader of that language
    uses it.
    """
    if event not in PLACEHOLDERS or channel not in MessageChannel.values:
        raise ServiceError(_("There is no such message."), code="unknown_message")
    errors = wording.validate(event, subject=subject, body=body)
    for field in ("subject", "body"):
        if errors[field]:
            raise ServiceError(errors[field], field=field, code="invalid_wording")
    key = {"event": event, "channel": channel, "language": language}
    with transaction.atomic():
        message = MessageWording.objects.select_for_update().filter(**key).first()
        if message is None:
            try:
                with transaction.atomic():  # two first saves at once: one inserts
                    return _wording_write(MessageWording(**key), subject, body, by)
            except IntegrityError:
                # The other one inserted first (PostgreSQL made this insert wait for its
                # commit): change that row, as a second save would.
                message = MessageWording.objects.select_for_update().get(**key)
        return _wording_write(message, subject, body, by)


def _wording_write(message, subject, body, by):
    message.subject = subject.strip()
    message.body = body.strip()
    message.updated_by = by
    message._history_user = by  # the history names the editor outside a request too
    message.save()
    wording.forget_saved_wordings()
    return message


def wording_reset(*, event, channel, language, by):
    """Go back to the default text of one message: delete its wording.

    Side effects: a history row ("deleted", by ``by``) keeps the last text. Returns whether
    there was a wording to delete.
    """
    with transaction.atomic():
        message = (
            MessageWording.objects.select_for_update()
            .filter(event=event, channel=channel, language=language)
            .first()
        )
        if message is None:
            return False
        message._history_user = by
        message.delete()
        wording.forget_saved_wordings()
    return True
