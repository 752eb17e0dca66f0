"""Private links after the case ends, the "other requests" list, e-mailed links built
from SITE_URL, tokens kept out of logs and Referer headers (issue 15: L-3, L-6, L-8, logs).
"""

import datetime
import io
import logging
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from facilitators.models import AssignmentStatus
from fiep.logredact import RedactTokensFilter
from fiep.models import OutboxMessage
from fiep_requests.models import ConsentState, FacilitationRequest, RequestStatus
from fiep_requests.selectors import private_link_retired
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = "evil.example:8443"


def _awaiting():
    return factories.FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT,
        consent_state=ConsentState.PENDING,
        student_first_name="Zacharias",
        student_last_name="Quintanilla",
        school_name="Bramblewood Elementary",
    )


def _student_data(case):
    return [case.student_first_name, case.student_last_name, case.school_name]


# --- L-6: consent and status links after the case ends -------------------------------


@pytest.mark.parametrize("status", ["closed", "withdrawn", "denied", "cancelled"])
def test_consent_and_status_links_show_no_student_data_once_the_case_ended(client, status):
    case = _awaiting()
    consent = reverse("fiep_requests:consent", args=[case.consent_token])
    html = client.get(consent).content.decode()
    assert all(value in html for value in _student_data(case))  # the live link works
    FacilitationRequest.objects.filter(pk=case.pk).update(
        status=status, closed_reason="Zacharias moved away", decision_message="Quintanilla"
    )
    for url in [consent, reverse("fiep_requests:status", args=[case.status_token])]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert case.reference in html
        for value in _student_data(case):
            assert value not in html, (url, value)


def test_links_show_no_student_data_30_days_after_the_last_action(client):
    case = _awaiting()
    consent = reverse("fiep_requests:consent", args=[case.consent_token])
    FacilitationRequest.objects.filter(pk=case.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=29)
    )
    assert case.student_last_name in client.get(consent).content.decode()
    FacilitationRequest.objects.filter(pk=case.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    html = client.get(consent).content.decode()
    assert case.student_last_name not in html and case.school_name not in html
    # Nor can the retired link still answer for the party.
    response = client.post(consent, {"answer": "agree", "full_name": "Dana Director"})
    case.refresh_from_db()
    assert case.consent_state == ConsentState.PENDING
    assert response.status_code == 200


# --- L-3: "other requests for this student" lists only what the viewer may open ------


def test_other_requests_list_only_cases_the_viewer_may_open(client):
    facilitator = factories.FacilitatorFactory(with_user=True)
    student = {
        "student_first_name": "Ana",
        "student_last_name": "Example",
        "student_birth_date": datetime.date(2014, 5, 1),
    }
    nested = {f"request__{k}": v for k, v in student.items()}
    mine = factories.AssignmentFactory(facilitator=facilitator, **nested).request
    district = mine.district
    theirs = factories.FacilitationRequestFactory(district=district, **student)
    offered = factories.AssignmentFactory(
        facilitator=facilitator,
        status=AssignmentStatus.OFFERED,
        request__district=district,
        **nested,
    ).request
    client.force_login(facilitator.user)
    html = client.get(reverse("fiep_requests:case", args=[mine.reference])).content.decode()
    assert theirs.reference not in html  # another facilitator's case: 404 for them
    assert offered.reference not in html  # offered only: 403 until they accept
    client.force_login(factories.staff_user())
    html = client.get(reverse("fiep_requests:case", args=[mine.reference])).content.decode()
    assert theirs.reference in html and offered.reference in html


# --- L-8: every e-mailed link from SITE_URL, whatever the Host header says -----------


def test_password_reset_link_ignores_a_hostile_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["*"]  # a proxy passing any Host through
    settings.SITE_URL = "https://fiep.example.gov"
    user = factories.UserFactory(email="someone@example.org")
    response = client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST=HOSTILE)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "evil.example" not in body and "evil.example" not in mail.outbox[0].subject
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith("https://fiep.example.gov/accounts/") for link in links)


def test_links_e_mailed_after_a_request_with_a_hostile_host_use_site_url(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://fiep.example.gov"
    staff = factories.staff_user()
    case = factories.FacilitationRequestFactory(status=RequestStatus.APPROVED)
    facilitator = factories.FacilitatorFactory(with_user=True)
    client.force_login(staff)
    client.post(
        reverse("facilitators:assign", args=[case.pk]),
        {"facilitator": facilitator.pk},
        HTTP_HOST=HOSTILE,
    )
    messages = OutboxMessage.objects.all()
    assert messages.exists()
    for message in messages:
        assert "evil.example" not in message.body_text + message.body_html
    feed_page = client.get(reverse("meetings:mine"), HTTP_HOST=HOSTILE)
    assert feed_page.status_code in (200, 403)


# --- Tokens never in a log line, no Referer from a token page ------------------------


@pytest.fixture
def app_log():
    """The app's own log handler (settings.LOGGING), writing into a buffer."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokensFilter) for f in h.filters)
    ]
    assert handlers, "the root logger's handler must carry the redaction filter"
    buffer = io.StringIO()
    old = handlers[0].setStream(buffer)
    yield buffer
    handlers[0].setStream(old)


def test_tokens_are_redacted_from_the_app_log(client, app_log):
    case = _awaiting()
    token = case.status_token
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("fiep_requests:status", args=[wrong])).status_code == 404
    logging.getLogger("django.server").info('"GET /requests/status/%s/ HTTP/1.1" 200 12', token)
    logging.getLogger("fiep").warning("feed %s", f"/meetings/feed/{token}.ics")
    text = app_log.getvalue()
    assert "[redacted]" in text
    assert token not in text and wrong not in text
    assert token[:16] not in text


@pytest.mark.parametrize(
    "name", ["django.request", "django.server", "django.security.csrf", "fiep", "axes", "celery"]
)
def test_every_handler_a_log_line_reaches_redacts_tokens(name):
    """Whatever logger writes a line (Django's request and server logs included), every
    handler it reaches carries the redaction filter."""
    logger, handlers = logging.getLogger(name), []
    while logger is not None:
        # pytest's own capture handlers are not the application's.
        handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    assert handlers
    for handler in handlers:
        if isinstance(handler, logging.NullHandler):
            continue  # writes nothing
        assert any(isinstance(f, RedactTokensFilter) for f in handler.filters), handler


def test_gunicorn_access_log_redacts_tokens():
    from gunicorn.config import Config

    from fiep import gunicorn_conf

    token = "Yk3nq0C2mT5bU8xW1zR4sV7aE9dH6jL0pQ2uN5cF8gI"
    logger = gunicorn_conf.RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/evaluations/survey/{token}/?x=1",
        "PATH_INFO": f"/evaluations/survey/{token}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://fiep.example.gov/requests/consent/{token}/",
        "REMOTE_ADDR": "198.51.100.7",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, datetime.timedelta(0))
    line = gunicorn_conf.access_log_format % atoms
    assert token not in line and token not in str(atoms)
    assert "/evaluations/survey/[redacted]/" in line


def test_token_pages_send_no_referrer(client):
    case = _awaiting()
    for url in [
        reverse("fiep_requests:consent", args=[case.consent_token]),
        reverse("fiep_requests:status", args=[case.status_token]),
    ]:
        assert client.get(url)["Referrer-Policy"] == "no-referrer"
    # Pages without a token keep the site-wide policy.
    assert client.get(reverse("home"))["Referrer-Policy"] == "same-origin"


def _csrf_post(client, url, data, origin):
    page = client.get(url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""
    token = token or client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token}, HTTP_ORIGIN=origin)


def test_private_link_forms_work_with_the_origin_no_referrer_gives_them():
    """With ``Referrer-Policy: no-referrer`` browsers post the page's form with
    ``Origin: null``: the consent form still works, with the CSRF token checked."""
    client = Client(enforce_csrf_checks=True)
    case = _awaiting()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    response = _csrf_post(client, url, {"answer": "agree", "full_name": "Dana Director"}, "null")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.consent_state == ConsentState.GIVEN
    # Without the CSRF token, or from another site, still refused.
    other = _awaiting()
    other_url = reverse("fiep_requests:consent", args=[other.consent_token])
    assert (
        client.post(
            other_url, {"answer": "agree", "full_name": "Dana Director"}, HTTP_ORIGIN="null"
        ).status_code
        == 403
    )
    refused = _csrf_post(client, other_url, {"answer": "agree"}, "https://evil.example")
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.consent_state == ConsentState.PENDING


def test_origin_null_is_refused_on_pages_without_a_token():
    client = Client(enforce_csrf_checks=True)
    user = factories.UserFactory(email="x@example.org")
    response = _csrf_post(client, reverse("password_reset"), {"email": user.email}, "null")
    assert response.status_code == 403


def test_links_retire_after_exactly_30_idle_days():
    case = _awaiting()
    thirty_days = case.updated_at + datetime.timedelta(days=30)
    assert private_link_retired(case, now=thirty_days) is False
    assert private_link_retired(case, now=thirty_days + datetime.timedelta(seconds=1)) is True
