"""The public form accepts a request in its POST (tracking number, status token, one
Submission row) and the worker files it (the beat's ``fiep_requests.submissions_file``,
every few seconds), failed filings again a minute later per failure; /health/ says when
intake is behind. Celery runs eagerly here, and then the POST files at once; a test
that plays a production process (a worker exists) switches eager off.

Runs on SQLite and on PostgreSQL (DATABASE_URL); the concurrent filing test needs
PostgreSQL's row locks.
"""

import contextlib
import datetime
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from fiep.celery import app
from fiep.models import OutboxMessage
from fiep_requests import services, tasks
from fiep_requests.models import FacilitationRequest, RequestStatus, StatusChange, Submission
from fiep_requests.services import intake
from fiep_requests.views.public import SUBMITTED_COOKIE, submitted_cookie_value
from tests.factories import DistrictFactory

from .conftest import form_data, submit_data

pytestmark = pytest.mark.django_db
NEW = reverse("fiep_requests:new")
SUBMITTED = reverse("fiep_requests:submitted")
FILING_EN = "The office is filing your request."
FILING_ES = "La oficina está registrando su solicitud"


@contextlib.contextmanager
def _worker_elsewhere():
    """Celery not eager, as in production: the POST only accepts; the worker files.
    Restored explicitly (a monkeypatch undone after the conftest's own restore would
    leave Celery eager for the tests that follow, the integration tests among them)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def _aged(submission, seconds):
    Submission.objects.filter(pk=submission.pk).update(
        received_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def _failed_ago(submission, seconds):
    Submission.objects.filter(pk=submission.pk).update(
        tried_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def _status_path(page_html):
    """The private status link the confirmation page shows, as a path."""
    (url,) = set(re.findall(r'href="(http[^"]+/status/[^"]+)"', page_html))
    assert url.startswith(django_settings.SITE_URL)
    return url[len(django_settings.SITE_URL) :]


def _accepted(district, *, token=None, **overrides):
    """One submission accepted with a worker elsewhere (nothing filed)."""
    with _worker_elsewhere():
        submission = services.request_accept(
            data=submit_data(district, **overrides), ip="203.0.113.5", submission_token=token
        )
    assert submission.request_id is None
    return submission


# --- 1. the POST accepts; the worker's run files it later --------------------------------


def test_post_accepts_then_the_intake_run_files_once(client, a_district, monkeypatch):
    with _worker_elsewhere():
        response = client.post(NEW, form_data(a_district, submission_token="tok-down"))
        assert response.status_code == 302
        assert response["Location"] == SUBMITTED
    (submission,) = Submission.objects.all()
    assert submission.request is None and submission.filed_at is None
    assert submission.data["student_first_name"] == "Lucia"
    assert submission.data["district"] == a_district.pk
    assert submission.attempts == 0 and submission.last_error == ""
    assert not FacilitationRequest.objects.exists()
    assert not OutboxMessage.objects.exists()

    # The confirmation works before the filing: tracking number and the status link.
    page = client.get(SUBMITTED)
    assert page.status_code == 200
    html = page.content.decode()
    assert submission.reference in html
    status_path = _status_path(html)
    assert status_path == reverse("fiep_requests:status", args=[submission.status_token])
    # The status link says the request is being filed, in the requester's language (es).
    filing = client.get(status_path)
    assert filing.status_code == 200
    text = filing.content.decode()
    assert submission.reference in text
    assert FILING_ES in text and "Solicitud recibida" in text
    assert FILING_EN not in text

    # The worker's run (the beat's intake job) files it.
    assert tasks.submissions_file() == (1, 0)
    submission.refresh_from_db()
    case = FacilitationRequest.objects.get()
    assert submission.request == case
    assert (case.reference, case.status_token) == (submission.reference, submission.status_token)
    assert case.submission_token == "tok-down"
    assert case.status == RequestStatus.AWAITING_CONSENT
    assert case.district == a_district
    assert case.concerns == ["services", "goals"]
    assert case.student_birth_date == datetime.date(2013, 5, 2)
    assert case.has_iep is True and case.other_process_pending is False
    assert submission.data == {}
    assert submission.filed_at is not None
    messages = sorted(OutboxMessage.objects.values_list("event", flat=True))
    assert messages == ["consent_requested", "request_received"]

    # Nothing left: a second run files nothing and writes nothing.
    assert tasks.submissions_file() == (0, 0)
    assert FacilitationRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 2
    # The same status link is now the request's real status page.
    text = client.get(status_path).content.decode()
    assert "Esperando la aceptación de la otra parte" in text
    assert FILING_ES not in text


@pytest.mark.parametrize(
    ("overrides", "expected", "unexpected"),
    [
        ({"parent_language": "es"}, FILING_ES, FILING_EN),
        ({"parent_language": "en"}, FILING_EN, FILING_ES),
        # A district contact who used the English form: English, whatever the parent's.
        ({"requested_by": "district", "parent_language": "es"}, FILING_EN, FILING_ES),
    ],
    ids=["parent-es", "parent-en", "district-english-form"],
)
def test_filing_page_speaks_the_requesters_language(
    client, a_district, monkeypatch, overrides, expected, unexpected
):
    with _worker_elsewhere():
        assert client.post(NEW, form_data(a_district, **overrides)).status_code == 302
    submission = Submission.objects.get()
    response = client.get(reverse("fiep_requests:status", args=[submission.status_token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert submission.reference in html
    assert expected in html and unexpected not in html


def test_filing_page_text_has_its_spanish_translation():
    msgid = (
        "The office is filing your request. Come back to this link in a few minutes "
        "to see its status."
    )
    po = Path(django_settings.BASE_DIR, "fiep_requests/locale/es/LC_MESSAGES/django.po")
    text = po.read_text(encoding="utf-8")
    assert '"La oficina está registrando su solicitud. Vuelva a este enlace en unos "' in text
    # Compiled and used (not fuzzy, not missing from the .mo):
    with translation.override("es"):
        assert translation.gettext(msgid).startswith(FILING_ES)


def test_intake_run_files_oldest_first_and_a_failure_stops_nothing(a_district, monkeypatch):
    oldest, middle, newest = (_accepted(a_district) for _ in range(3))
    _aged(oldest, 300)
    _aged(middle, 200)
    _aged(newest, 100)
    real = intake._request_create
    order = []

    def middle_fails(**kwargs):
        order.append(kwargs["reference"])
        if kwargs["reference"] == middle.reference:
            raise RuntimeError("bad row")
        return real(**kwargs)

    monkeypatch.setattr(intake, "_request_create", middle_fails)
    assert services.submissions_file_due() == (2, 1)
    assert order == [oldest.reference, middle.reference, newest.reference]
    middle.refresh_from_db()
    assert middle.request is None and middle.attempts == 1 and middle.tried_at is not None
    assert middle.data["student_first_name"] == "Lucia"  # what was typed is kept
    assert FacilitationRequest.objects.count() == 2
    # The failed one waits a minute per failure (near miss: 59 s), then is filed.
    monkeypatch.undo()
    _failed_ago(middle, 59)
    assert services.submissions_file_due() == (0, 0)
    _failed_ago(middle, 61)
    assert services.submissions_file_due() == (1, 0)
    middle.refresh_from_db()
    assert middle.request is not None and middle.last_error == ""
    assert FacilitationRequest.objects.count() == 3


def test_intake_run_is_on_the_beat_schedule(settings):
    entry = app.conf.beat_schedule["intake"]
    assert entry["task"] == "fiep_requests.submissions_file"
    assert entry["schedule"] == settings.FIEP_INTAKE_SECONDS == 5
    assert "fiep_requests.submissions_file" in app.tasks


def test_received_on_is_the_local_day_of_acceptance(a_district):
    submission = _accepted(a_district)
    # 22:30 in Chicago is already the next day in UTC.
    late = datetime.datetime(2026, 3, 9, 22, 30, tzinfo=ZoneInfo(django_settings.TIME_ZONE))
    assert late.astimezone(datetime.UTC).date() == datetime.date(2026, 3, 10)
    Submission.objects.filter(pk=submission.pk).update(received_at=late)
    case = services.submission_file(submission.pk)
    assert case.received_on == datetime.date(2026, 3, 9)


# --- 2. filing twice -----------------------------------------------------------------------


def test_filing_twice_files_once(a_district):
    submission = _accepted(a_district, token="tok-twice")
    first = services.submission_file(submission.pk)
    messages = OutboxMessage.objects.count()
    history = StatusChange.objects.count()
    assert messages == 2 and history == 2
    submission.refresh_from_db()
    filed_at = submission.filed_at
    assert services.submission_file(submission.pk) == first
    # The beat's run, twice more: nothing new either.
    assert tasks.submissions_file.delay().get() == (0, 0)
    assert tasks.submissions_file() == (0, 0)
    assert FacilitationRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == messages
    assert StatusChange.objects.count() == history
    submission.refresh_from_db()
    assert submission.filed_at == filed_at and submission.attempts == 0
    # A failure reported for a filed submission is not recorded.
    services.submission_failed(submission.pk, RuntimeError("late"))
    submission.refresh_from_db()
    assert submission.attempts == 0 and submission.last_error == ""


def test_filing_an_unknown_submission_does_nothing(a_district):
    assert services.submission_file(987654) is None
    assert tasks.submissions_file() == (0, 0)
    assert not FacilitationRequest.objects.exists()
    assert not Submission.objects.exists()


def test_request_submit_accepts_and_files_at_once_even_with_a_worker(a_district, monkeypatch):
    with _worker_elsewhere():
        case = services.request_submit(data=submit_data(a_district), ip=None, submission_token="s1")
    submission = Submission.objects.get()
    assert submission.request == case and submission.data == {}
    assert case.reference == submission.reference


# --- 3. a filing that fails ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_failed_filing_is_retried_then_given_up_and_shown_on_health(client, settings, monkeypatch):
    """/health/ reads the database in its own thread on PostgreSQL: committed data."""
    assert settings.FIEP_SUBMISSION_MAX_ATTEMPTS == 10
    district = DistrictFactory()
    intake_ok = {"status": "ok", "unfiled": 0, "oldest_unfiled_age_seconds": None, "given_up": 0}
    body = client.get("/health/").json()
    assert body["intake"] == intake_ok
    assert "intake" not in body["problems"]

    def broken(**kwargs):
        raise RuntimeError("district gone")

    monkeypatch.setattr(intake, "_request_create", broken)
    response = client.post(NEW, form_data(district))  # eager: filed in the request
    assert response.status_code == 302  # the failure is recorded: the person is confirmed
    submission = Submission.objects.get()
    assert submission.request is None
    assert submission.attempts == 1
    assert submission.last_error == "RuntimeError: district gone"
    assert submission.data["student_last_name"] == "Ejemplo"
    assert submission.reference in client.get(SUBMITTED).content.decode()

    # Tried again a minute later per failure so far (the run never raises).
    assert tasks.submissions_file() == (0, 0)
    for attempts in range(2, settings.FIEP_SUBMISSION_MAX_ATTEMPTS + 1):
        _failed_ago(submission, 60 * (attempts - 1) - 1)  # near miss: not due yet
        assert tasks.submissions_file() == (0, 0)
        _failed_ago(submission, 60 * (attempts - 1) + 1)
        assert tasks.submissions_file() == (0, 1)
        submission.refresh_from_db()
        assert submission.attempts == attempts
        if attempts == settings.FIEP_SUBMISSION_MAX_ATTEMPTS - 1:
            # One attempt left and younger than two runs and a minute: not behind.
            intake_part = client.get("/health/").json()["intake"]
            assert intake_part["status"] == "ok"
            assert intake_part["unfiled"] == 1 and intake_part["given_up"] == 0
    # Given up: no run takes it again; its data waits for the office.
    _failed_ago(submission, 3600 * 24)
    assert tasks.submissions_file() == (0, 0)
    submission.refresh_from_db()
    assert submission.attempts == settings.FIEP_SUBMISSION_MAX_ATTEMPTS
    assert submission.data["student_last_name"] == "Ejemplo"
    assert not FacilitationRequest.objects.exists()
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["intake"]["status"] == "behind"
    assert body["intake"]["unfiled"] == 1 and body["intake"]["given_up"] == 1
    assert "intake" in body["problems"]

    # Once the cause is fixed, filing it by hand works and /health/ is well again.
    monkeypatch.undo()
    case = services.submission_file(submission.pk)
    assert case.reference == submission.reference
    submission.refresh_from_db()
    assert submission.data == {} and submission.last_error == ""
    body = client.get("/health/").json()
    assert body["intake"] == intake_ok
    assert "intake" not in body["problems"]


@pytest.mark.django_db(transaction=True)
def test_health_intake_behind_only_after_two_runs_and_a_minute(client, settings):
    settings.FIEP_INTAKE_SECONDS = 5
    submission = _accepted(DistrictFactory())
    _aged(submission, 2 * 5 + 60 - 5)
    intake_part = client.get("/health/").json()["intake"]
    assert intake_part["status"] == "ok" and intake_part["unfiled"] == 1
    assert 63 <= intake_part["oldest_unfiled_age_seconds"] <= 67
    _aged(submission, 2 * 5 + 60 + 5)
    body = client.get("/health/").json()
    assert body["intake"]["status"] == "behind" and body["intake"]["given_up"] == 0
    assert "intake" in body["problems"]


# --- 4. double submit ----------------------------------------------------------------------


def test_double_submit_same_token_one_submission_one_request_same_confirmation(client, a_district):
    data = form_data(a_district, submission_token="tok-double")
    first = client.post(NEW, data)
    first_cookie = _unsigned(client.cookies[SUBMITTED_COOKIE].value)
    first_page = client.get(SUBMITTED).content.decode()
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.count() == 1
    assert FacilitationRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 2
    submission = Submission.objects.get()
    # The same submission (the signature's timestamp may differ by a second).
    assert _unsigned(client.cookies[SUBMITTED_COOKIE].value) == first_cookie == str(submission.pk)
    second_page = client.get(SUBMITTED).content.decode()
    assert submission.reference in second_page
    assert _status_path(second_page) == _status_path(first_page)
    # Near miss: another token is another request.
    client.post(NEW, form_data(a_district, submission_token="tok-other"))
    assert Submission.objects.count() == 2
    assert FacilitationRequest.objects.count() == 2


def test_double_submit_before_filing_keeps_one_submission(client, a_district, monkeypatch):
    data = form_data(a_district, submission_token="tok-down-twice")
    with _worker_elsewhere():
        client.post(NEW, data)
        client.post(NEW, data)
    assert Submission.objects.count() == 1
    assert not FacilitationRequest.objects.exists()
    assert tasks.submissions_file() == (1, 0)
    client.post(NEW, data)  # a third submit after filing: still the same one
    assert Submission.objects.count() == 1
    assert FacilitationRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


# --- 5. near misses on the confirmation cookie and the status token ------------------------


def test_confirmation_cookie_must_be_signed_for_that_submission(client, a_district):
    other = _accepted(a_district, student_first_name="Otro")
    client.post(NEW, form_data(a_district))
    mine = Submission.objects.exclude(pk=other.pk).get()
    assert client.get(SUBMITTED).status_code == 200
    signer = signing.get_cookie_signer
    for refused in (
        str(other.pk),  # not signed
        signer(salt="another-salt").sign(str(other.pk)),  # signed for something else
        signer(salt=SUBMITTED_COOKIE).sign(str(other.pk)),  # the salt without the name
        _one_off(submitted_cookie_value(other.pk)),  # one character off
    ):
        client.cookies[SUBMITTED_COOKIE] = refused
        assert client.get(SUBMITTED).status_code == 404, refused
    # The right signature for the other submission is accepted (the control).
    client.cookies[SUBMITTED_COOKIE] = submitted_cookie_value(other.pk)
    html = client.get(SUBMITTED).content.decode()
    assert other.reference in html and mine.reference not in html
    client.cookies.clear()
    assert client.get(SUBMITTED).status_code == 404


def _unsigned(cookie):
    """The submission id a confirmation cookie carries (``id:timestamp:signature``)."""
    return cookie.split(":", 1)[0]


def _one_off(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_status_token_one_character_off_is_404(client, a_district):
    unfiled = _accepted(a_district)
    filed = _accepted(a_district)
    services.submission_file(filed.pk)
    for submission in (unfiled, filed):
        url = reverse("fiep_requests:status", args=[submission.status_token])
        assert client.get(url).status_code == 200
        near = reverse("fiep_requests:status", args=[_one_off(submission.status_token)])
        assert client.get(near).status_code == 404
    # A well-formed token nobody holds: 404 too.
    assert client.get(reverse("fiep_requests:status", args=["x" * 43])).status_code == 404


def test_filed_token_shows_the_status_page_not_the_filing_page(client, a_district):
    submission = _accepted(a_district)
    url = reverse("fiep_requests:status", args=[submission.status_token])
    assert FILING_ES in client.get(url).content.decode()
    services.submission_file(submission.pk)
    html = client.get(url).content.decode()
    assert FILING_ES not in html and FILING_EN not in html
    assert submission.reference in html
    assert "Esperando la aceptación de la otra parte" in html


def test_confirmation_says_joint_before_filing(client, a_district, monkeypatch):
    with _worker_elsewhere():
        client.post(NEW, form_data(a_district, requested_by="joint"))
    assert not FacilitationRequest.objects.exists()
    client.cookies["django_language"] = "en"
    html = client.get(SUBMITTED).content.decode()
    assert "Both parties asked together" in html
    assert "we now ask the other party" not in html


# --- 6. PostgreSQL: filing the same submission from several workers at once --------------

THREADS = 6


def _at_once(call):
    """``call()`` in THREADS threads released together (each with its own database
    connection, closed after); returns (results, errors)."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001  (collected and asserted by the caller)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_of_one_submission_file_it_once():
    submission = _accepted(DistrictFactory(), token="tok-race")
    results, errors = _at_once(lambda: services.submission_file(submission.pk))
    assert errors == []
    case = FacilitationRequest.objects.get()
    assert [r.pk for r in results] == [case.pk] * THREADS
    assert case.reference == submission.reference
    assert sorted(OutboxMessage.objects.values_list("event", flat=True)) == [
        "consent_requested",
        "request_received",
    ]
    assert StatusChange.objects.count() == 2
    submission.refresh_from_db()
    assert submission.request == case and submission.attempts == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_runs_record_no_failure(caplog):
    """Two beat runs at once (a slow run overlapping the next, on two workers): a losing
    filing must not fail (it would be logged and counted)."""
    submission = _accepted(DistrictFactory())
    results, errors = _at_once(tasks.submissions_file)
    assert errors == []
    failed = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failed == []
    assert all(failed_count == 0 for _filed, failed_count in results)
    submission.refresh_from_db()
    assert submission.request is not None
    assert submission.attempts == 0 and submission.last_error == ""
    assert FacilitationRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


# --- 7. the retention purge -----------------------------------------------------------------


def test_purge_retires_the_submissions_tokens_too(client):
    from fiep_requests.retention import student_data_purge

    from .retention_helpers import full_case

    case = full_case(held=False)
    submission = Submission.objects.create(
        reference=case.reference,
        status_token=case.status_token,
        submission_token="tok-purged",
        request=case,
        filed_at=timezone.now(),
    )
    old_link = reverse("fiep_requests:status", args=[case.status_token])
    assert client.get(old_link).status_code == 200
    student_data_purge()
    submission.refresh_from_db()
    case.refresh_from_db()
    assert case.identifying_data_purged_at is not None
    # Neither the case nor its submission answers to the old link any more.
    assert submission.status_token not in (old_link.split("/")[-2], case.status_token)
    assert submission.submission_token is None and submission.data == {}
    assert client.get(old_link).status_code == 404
