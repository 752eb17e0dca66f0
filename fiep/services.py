"""Writes of the shared core: the access log, districts, and the outbox.

Every function is keyword-only; its docstring names its side effects.
"""

import csv
import datetime
import io
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .mail import OutboxEmail, attach_all
from .models import AccessAction, AccessLog, District, OutboxMessage, OutboxStatus, Region
from .rules import role_of

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address: REMOTE_ADDR (a proxy in front must set it; see README)."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


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


def outbox_deliver(*, message_id):
    """Send one pending outbox message by e-mail and mark it sent (or record the error).

    Claims the row with ``select_for_update(skip_locked=True)`` so a sweeper and a task
    never send the same message twice. Re-raises SMTP/OS errors so the task can retry.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
            .first()
        )
        if message is None:
            return False
        email = OutboxEmail(
            subject=message.subject,
            body=message.body_text,
            to=[message.recipient_email],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        attach_all(email, message.attachments)
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # noqa: BLE001  (SMTP, OS, or backend errors: keep any cause)
            message.status = OutboxStatus.FAILED
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            # Back off: 2, 4, 8 … minutes before the sweeper tries again.
            message.next_attempt_at = timezone.now() + datetime.timedelta(
                minutes=2**message.attempts
            )
            message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
            logger.warning("outbox message %s failed: %s", message.pk, message.last_error)
            return False
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return True


def outbox_pending_ids(*, max_attempts=5, limit=200):
    """Ids of messages the sweeper should (re)try: pending, or failed with tries left."""

    due = Q(status=OutboxStatus.PENDING) | Q(
        status=OutboxStatus.FAILED, attempts__lt=max_attempts, next_attempt_at__lte=timezone.now()
    )
    return list(
        OutboxMessage.objects.filter(due)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
