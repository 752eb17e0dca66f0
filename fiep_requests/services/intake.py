"""Submitting a request: tracking numbers, the request itself, the first messages.

The public form takes a request in two steps: :func:`request_accept` (in the form's
POST: the tracking number and one :class:`~fiep_requests.models.Submission` row) and
:func:`submission_file` (the beat's filing in the worker, every few seconds: the request,
its history and messages). Staff entering a request, and :func:`request_submit`, do both
at once.
"""

import datetime
import json
import logging

from celery import current_app
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """Create a request from the public form's cleaned ``data`` at once: accept it and
    file it (:func:`submission_file`).

    A ``submission_token`` already used returns the earlier request (a double submit does
    nothing twice). The demo data and callers that need the request now use this; the
    public form's POST only accepts (:func:`request_accept`).
    """
    submission = _accept(data=data, ip=ip, submission_token=submission_token)
    return submission_file(submission.pk)


def request_accept(*, data, ip, submission_token):
    """Take a request from the public form's cleaned ``data``: its tracking number and
    private status token, and ``data`` kept in one Submission row, committed before this
    returns. Returns the Submission.

    What the person sees next (the confirmation with the tracking number, the status
    link) works from here. The request itself, its history and the messages to the
    parties are written by the filing (:func:`submissions_file_due`, which the beat runs
    in the worker every FIEP_INTAKE_SECONDS); so the form's POST never waits for the
    broker or for e-mails to be rendered, and a worker or broker that is down loses
    nothing. Without a worker (Celery eager: ``bin/dev``, the tests) it is filed here at
    once. A ``submission_token`` already used returns the earlier submission.
    """
    submission = _accept(data=data, ip=ip, submission_token=submission_token)
    if submission.request_id is None and current_app.conf.task_always_eager:
        _file_or_record(submission.pk)
    return submission


def _accept(*, data, ip, submission_token):
    if submission_token:
        existing = Submission.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    received_at = timezone.now()
    values = {
        "submission_token": submission_token or None,
        "joint": data.get("requested_by") == Requester.JOINT,
        "data": submission_encode(data),
        "received_at": received_at,
    }
    year = timezone.localdate(received_at).year
    try:
        if connection.vendor == "postgresql":
            submission = _submission_insert_numbered(year=year, values=values)
        else:
            with transaction.atomic():
                submission = Submission.objects.create(
                    reference=tracking_number_next(year=year), **values
                )
    except IntegrityError:
        existing = Submission.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    logger.info("request %s submitted (from %s)", submission.reference, ip or "-")
    return submission


def _submission_insert_numbered(*, year, values):
    """PostgreSQL: the year's next tracking number (as :func:`tracking_number_next`) and
    the Submission row in one statement: one round trip and one commit. Returns the
    Submission (not re-read), or the one a concurrent submit with the same
    ``submission_token`` wrote."""
    submission = Submission(**values)
    fields = [
        f for f in Submission._meta.concrete_fields if not f.primary_key and f.name != "reference"
    ]
    quote = connection.ops.quote_name
    counter = quote(TrackingCounter._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    params = [year, f"FIEP-{year}-"]
    params += [f.get_db_prep_save(getattr(submission, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            # Only our own quoted table and column names are formatted in.
            f"WITH n AS (INSERT INTO {counter} (year, last) VALUES (%s, 1) "  # noqa: S608  # nosec B608
            f"ON CONFLICT (year) DO UPDATE SET last = {counter}.last + 1 RETURNING last) "
            f"INSERT INTO {quote(Submission._meta.db_table)} ({quote('reference')}, {columns}) "
            # FIEP-2026-0001 as tracking_number_next writes it: at least four digits.
            "SELECT %s || lpad(n.last::text, greatest(4, length(n.last::text)), '0'), "
            f"{', '.join(['%s'] * len(fields))} FROM n "
            # A double submit racing itself: the other's row is the submission (this
            # number stays unused), and no error breaks the caller's transaction.
            "ON CONFLICT (submission_token) DO NOTHING RETURNING id, reference",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return Submission.objects.get(submission_token=values["submission_token"])
    submission.pk, submission.reference = row
    submission._state.adding = False
    return submission


def submission_file(submission_id):
    """File an accepted submission: create its request (tracking number, status token
    and day received as accepted), the request's history and the messages to the
    parties, link it and empty the submission's ``data``, all in one transaction.

    Filing twice does nothing twice: the submission's row is locked and an already filed
    one returns its request. Returns the request, or None when there is no such
    submission.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None:
            return None
        if submission.request_id is not None:
            # Filed by a concurrent run while this one waited for the lock: the locked
            # row is the new version, but a join in the same statement would not see the
            # new request (its snapshot is older), so it is read in a statement of its own.
            return FacilitationRequest.objects.get(pk=submission.request_id)
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
    """Record that filing ``submission_id`` failed with ``error``: the filing tries again
    a minute later per failure so far, until FIEP_SUBMISSION_MAX_ATTEMPTS; the data
    stays."""
    Submission.objects.filter(pk=submission_id, request__isnull=True).update(
        attempts=models.F("attempts") + 1,
        tried_at=timezone.now(),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def _file_or_record(submission_id):
    try:
        return submission_file(submission_id)
    except Exception as error:
        logger.exception("filing submission %s failed", submission_id)
        submission_failed(submission_id, error)
        return None


def submissions_due(now=None):
    """The submissions the filing takes now: not filed, never failed or failed a minute
    ago per failure so far, fewer than FIEP_SUBMISSION_MAX_ATTEMPTS failures; oldest
    first."""
    now = now or timezone.now()
    due = models.Q(attempts=0)
    for failures in range(1, settings.FIEP_SUBMISSION_MAX_ATTEMPTS):
        due |= models.Q(
            attempts=failures, tried_at__lt=now - datetime.timedelta(seconds=60 * failures)
        )
    return Submission.objects.filter(due, request__isnull=True).order_by("received_at")


def submissions_file_due(*, limit=200):
    """File the submissions due (:func:`submissions_due`), each in its own transaction;
    a filing that fails is recorded (:func:`submission_failed`) and the next goes on.
    Returns ``(filed, failed)``. Run by the beat every FIEP_INTAKE_SECONDS; two runs at
    once file nothing twice (each row is locked while it is filed)."""
    filed = failed = 0
    for pk in list(submissions_due().values_list("pk", flat=True)[:limit]):
        if _file_or_record(pk) is None:
            failed += 1
        else:
            filed += 1
    return filed, failed


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
        except FieldDoesNotExist:  # not a column: passed on as it is
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
