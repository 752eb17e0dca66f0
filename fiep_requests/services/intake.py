"""Submitting a request: tracking numbers, the request itself, the first messages.

The public form takes a request in two steps: :func:`request_accept` (in the form's
POST: the tracking number and one :class:`~fiep_requests.models.Submission` row) and
:func:`submission_file` (in the worker: the request, its history and messages). Staff
entering a request, and :func:`request_submit`, do both at once.
"""

import datetime
import json
import logging

from celery import current_app
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.broker import enqueue, enqueue_each
from fiep.i18n import in_site_language
from fiep.notifications import Event

from ..models import (
    ENTERED_FROM,
    ConsentState,
    FacilitationRequest,
    IntakeChannel,
    Requester,
    RequestStatus,
    Submission,
    TrackingCounter,
)
from .parties import _notify_new, consent_url, other_party, requester_parties, status_url
from .transition import ServiceError, request_create_through

logger = logging.getLogger(__name__)


def tracking_number_next(*, year):
    """The next tracking number of ``year`` (``FIEP-2026-0001``), without races.

    One statement creates the year's TrackingCounter row or adds one to it, holding the
    row's lock until the caller's transaction ends, so concurrent submissions wait for one
    another (PostgreSQL and SQLite both have ``INSERT … ON CONFLICT … RETURNING``).
    Must run inside the caller's transaction.
    """
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only our own quoted table name is formatted in; the year is a parameter.
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608  # nosec B608
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"FIEP-{year}-{last:04d}"


def request_submit(*, data, ip, submission_token):
    """Create a request from the public form's cleaned ``data`` at once: accept it
    (:func:`request_accept`, without queueing) and file it (:func:`submission_file`).

    A ``submission_token`` already used returns the earlier request (a double submit does
    nothing twice). The demo data and callers that need the request now use this; the
    public form's POST only accepts, and the worker files.
    """
    submission = _accept(data=data, ip=ip, submission_token=submission_token)
    return submission_file(submission.pk)


def request_accept(*, data, ip, submission_token):
    """Take a request from the public form's cleaned ``data``: its tracking number and
    private status token, and ``data`` kept in one Submission row, committed before this
    returns; then queue ``fiep_requests.submission_file`` to file it.

    What the person sees next (the confirmation with the tracking number, the status
    link) works from here; the request, its history and the messages to the parties are
    written by the filing, seconds later in the worker (at once when Celery runs eagerly).
    A broker that is down does not matter: the intake sweep files the submission within
    a minute or two. A ``submission_token`` already used returns the earlier submission.
    Returns the Submission.
    """
    submission = _accept(data=data, ip=ip, submission_token=submission_token)
    if submission.request_id is None:
        try:
            submission_queue(submission.pk)
        except Exception:  # noqa: BLE001  (broker down: the sweep files it)
            logger.warning(
                "request %s: filing not queued (broker unreachable); the intake sweep files it",
                submission.reference,
            )
    return submission


def _accept(*, data, ip, submission_token):
    if submission_token:
        existing = Submission.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    received_at = timezone.now()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                reference=tracking_number_next(year=timezone.localdate(received_at).year),
                submission_token=submission_token or None,
                joint=data.get("requested_by") == Requester.JOINT,
                data=submission_encode(data),
                ip=ip or "",
                received_at=received_at,
            )
    except IntegrityError:
        existing = Submission.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    logger.info("request %s submitted (from %s)", submission.reference, ip or "-")
    return submission


def submission_queue(submission_id):
    """Queue the filing of one submission (raises when the broker is unreachable)."""
    # By name: task modules are leaves.
    enqueue(current_app.tasks["fiep_requests.submission_file"], submission_id)


def submission_file(submission_id):
    """File an accepted submission: create its request (tracking number, status token
    and day received as accepted), the request's history and the messages to the
    parties, link it and empty the submission's ``data``, all in one transaction.

    Filing twice does nothing twice: the submission's row is locked and an already filed
    one returns its request. Returns the request, or None when there is no such
    submission (a task that arrived before its row was committed: the sweep files it).
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("request")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None:
            return None
        if submission.request is not None:
            return submission.request
        case = _request_create(
            data=submission_decode(submission.data),
            submission_token=submission.submission_token,
            received_on=timezone.localdate(submission.received_at),
            reference=submission.reference,
            status_token=submission.status_token,
        )
        submission.request = case
        submission.data = {}
        submission.filed_at = timezone.now()
        submission.last_error = ""
        submission.save(update_fields=["request", "data", "filed_at", "last_error"])
    logger.info("request %s filed", case.reference)
    return case


def submission_failed(submission_id, error):
    """Record that filing ``submission_id`` failed with ``error`` (the sweep tries again
    until FIEP_SUBMISSION_MAX_ATTEMPTS; the data stays)."""
    Submission.objects.filter(pk=submission_id, request__isnull=True).update(
        attempts=models.F("attempts") + 1,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def submissions_sweep(*, limit=500):
    """Queue again the filing of every submission still unfiled a minute after it was
    accepted (its task lost, the broker down, or a filing that failed and has attempts
    left). Stops at the first publish that fails. Returns how many were queued."""
    cutoff = timezone.now() - datetime.timedelta(seconds=60)
    ids = list(
        Submission.objects.filter(
            request__isnull=True,
            received_at__lt=cutoff,
            attempts__lt=settings.FIEP_SUBMISSION_MAX_ATTEMPTS,
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    return enqueue_each(ids, submission_queue, what="intake sweep")


def submission_encode(data):
    """The form's cleaned ``data`` as JSON values (a record as its id, a day as
    ``YYYY-MM-DD``); :func:`submission_decode` gives the request's column values back."""
    plain = {
        key: value.pk if isinstance(value, models.Model) else value for key, value in data.items()
    }
    return json.loads(json.dumps(plain, cls=DjangoJSONEncoder))


def submission_decode(data):
    """The request's column values from :func:`submission_encode`'s JSON (a relation by
    its ``_id`` column; other keys as they are)."""
    values = {}
    for key, value in data.items():
        try:
            field = FacilitationRequest._meta.get_field(key)
        except Exception:  # noqa: BLE001  (not a column: passed on as it is)
            values[key] = value
            continue
        if field.is_relation:
            values[field.attname] = value
        else:
            values[key] = field.to_python(value)
    return values


def request_enter(*, data, by, channel, received_on=None, submission_token=None):
    """Create a request that reached the office by phone, paper (mail), fax, e-mail or in
    person, keyed in by staff member ``by`` from the staff form's cleaned ``data``.

    The same as :func:`request_submit` (double-submit guard, consent request, messages)
    except that it is never rate limited, records ``channel``, ``entered_by`` and the day
    the office received it (``received_on``, default today), and its first history row
    says "Entered by <name> from a <channel> request". Parties without an e-mail address
    get letters (``notify``).
    """
    if channel not in IntakeChannel.values or channel == IntakeChannel.ONLINE:
        raise ServiceError(_("Choose how the request reached the office."), field="intake_channel")
    if submission_token:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = _request_create(
                data=data,
                submission_token=submission_token or None,
                channel=channel,
                by=by,
                received_on=received_on,
            )
    except IntegrityError:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    logger.info("request %s entered by user %s (%s)", case.reference, by.pk, channel)
    return case


def _request_create(
    *,
    data,
    submission_token,
    channel=IntakeChannel.ONLINE,
    by=None,
    received_on=None,
    reference=None,
    status_token=None,
):
    today = timezone.localdate()
    fields = {
        name
        for f in FacilitationRequest._meta.get_fields()
        if hasattr(f, "attname")
        for name in (f.name, f.attname)
    }
    values = {k: v for k, v in data.items() if k in fields}
    for protected in (
        "id",
        "reference",
        "status",
        "status_token",
        "consent_token",
        "intake_channel",
        "entered_by",
        "entered_by_id",
        "received_on",
    ):
        values.pop(protected, None)
    joint = values.get("requested_by") == Requester.JOINT
    staff_entry = channel != IntakeChannel.ONLINE
    values.update(
        reference=reference or tracking_number_next(year=today.year),
        received_on=received_on or today,
        submission_token=submission_token,
        consent_state=ConsentState.NOT_NEEDED if joint else ConsentState.PENDING,
        intake_channel=channel,
        entered_by=by if staff_entry else None,
    )
    if status_token:
        values["status_token"] = status_token
    if staff_entry:
        first_reason = in_site_language(ENTERED_FROM[channel], name=by.display_name)
    else:
        first_reason = gettext_lazy("Online form")
    # Written once in its first waiting status, with both steps in its history (the same
    # history as a creation then request_transition, in a third of the queries).
    if joint:
        values["agreed_on"] = today
        second = (RequestStatus.UNDER_REVIEW, gettext_lazy("Both parties asked together"))
    else:
        values["consent_requested_at"] = timezone.now()
        second = (RequestStatus.AWAITING_CONSENT, "")
    case = request_create_through(
        values=values,
        steps=[(RequestStatus.SUBMITTED, first_reason), second],
        by=by if staff_entry else None,
    )
    messages = []
    if not joint:
        messages.append(
            (Event.CONSENT_REQUESTED, other_party(case), {"consent_url": consent_url(case)})
        )
    for party in requester_parties(case):
        messages.append((Event.REQUEST_RECEIVED, party, {"status_url": status_url(case)}))
    # A new tracking number: no message of this case can be queued already (one insert;
    # parties without e-mail get letters).
    _notify_new(case, messages)
    return case


# --- The other party's agreement -----------------------------------------------------
