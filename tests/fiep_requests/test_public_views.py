import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from fiep.models import AccessLog, OutboxMessage
from fiep_requests.models import ConsentState, FacilitationRequest, RequestStatus
from tests.factories import FacilitationRequestFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db
NEW = reverse("fiep_requests:new")


def test_request_form_get_renders_every_section(client, a_district):
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("student_first_name", "parent_email", "district_contact_email", "narrative"):
        assert f'name="{name}"' in html
    assert 'name="website"' in html
    assert 'name="submission_token"' in html
    assert response["Cache-Control"].count("no-store") == 1


def test_request_form_valid_post_creates_request_and_confirms(client, a_district):
    response = client.post(NEW, form_data(a_district), follow=True)
    case = FacilitationRequest.objects.get()
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert case.status_token in html
    assert case.status == RequestStatus.AWAITING_CONSENT
    assert case.concerns == ["services", "goals"]
    assert case.has_iep is True
    assert case.other_process_pending is False


def test_request_form_same_submission_token_twice_creates_one(client, a_district):
    data = form_data(a_district, submission_token="tok-123")
    client.post(NEW, data)
    client.post(NEW, data)
    assert FacilitationRequest.objects.count() == 1


def test_request_form_honeypot_stores_nothing(client, a_district):
    response = client.post(NEW, form_data(a_district, website="http://spam.example"))
    assert response.status_code == 200
    assert FacilitationRequest.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


REQUIRED_OR_INVALID = [
    ("requested_by", ""),
    ("requested_by", "martian"),
    ("student_first_name", ""),
    ("student_last_name", ""),
    ("student_birth_date", ""),
    ("student_birth_date", "not-a-date"),
    ("student_birth_date", "2999-01-01"),
    ("school_name", ""),
    ("district", ""),
    ("district", "999999"),
    ("disability_category", ""),
    ("has_iep", ""),
    ("parent_name", ""),
    ("parent_email", ""),
    ("parent_email", "not-an-email"),
    ("parent_language", "xx"),
    ("interpreter_needed", ""),
    ("district_contact_name", ""),
    ("district_contact_email", "bad@"),
    ("meeting_type", ""),
    ("meeting_date_set", "2001-01-01"),
    ("preferred_format", ""),
    ("concerns", []),
    ("concerns", ["nonsense"]),
    ("narrative", ""),
    ("other_process_pending", ""),
    ("requester_consents", None),
    ("signature_name", ""),
    ("signature_date", ""),
    ("signature_date", "2001-01-01"),
]


@pytest.mark.parametrize(("field", "value"), REQUIRED_OR_INVALID)
def test_request_form_invalid_field_keeps_other_values(client, a_district, field, value):
    data = form_data(a_district, **{field: value})
    if value is None:
        data.pop(field, None)
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert FacilitationRequest.objects.count() == 0
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert "data-error-summary" in html
    # The summary links to the field; a radio or checkbox group, to its first choice.
    target = form[field].id_for_label or f"{form[field].auto_id}_0"
    assert f'href="#{target}"' in html
    assert f'id="{target}"' in html
    assert f'id="{form[field].auto_id}_error"' in html
    # Nothing typed is lost.
    for other in ("student_first_name", "school_name", "narrative", "signature_name"):
        if other != field:
            assert f'value="{data[other]}"' in html or data[other] in html


def test_request_form_interpreter_needs_language(client, a_district):
    response = client.post(NEW, form_data(a_district, interpreter_needed="yes"))
    assert "interpreter_language" in response.context["form"].errors


def test_request_form_district_requester_needs_own_email(client, a_district):
    response = client.post(
        NEW, form_data(a_district, requested_by="district", district_contact_email="")
    )
    assert "district_contact_email" in response.context["form"].errors


@override_settings(FIEP_RATE_LIMIT_PER_HOUR=2)
def test_request_form_rate_limit_gives_429(client, a_district):
    for _ in range(2):
        assert client.post(NEW, form_data(a_district)).status_code == 302
    response = client.post(NEW, form_data(a_district))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    assert 'value="Prairie Elementary"' in html  # nothing typed is lost
    assert response["Retry-After"] == "3600"
    assert FacilitationRequest.objects.count() == 2


@override_settings(FIEP_RATE_LIMIT_PER_HOUR=2)
def test_request_form_rate_limit_ignores_form_errors(client, a_district):
    for _ in range(4):
        client.post(NEW, form_data(a_district, narrative=""))
    assert client.post(NEW, form_data(a_district)).status_code == 302


@override_settings(FIEP_RATE_LIMIT_PER_HOUR=1)
def test_request_form_rate_limit_fails_open_when_cache_down(client, a_district, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)
    for _ in range(3):
        assert client.post(NEW, form_data(a_district)).status_code == 302
    assert FacilitationRequest.objects.count() == 3


def test_submitted_page_without_session_is_404(client):
    assert client.get(reverse("fiep_requests:submitted")).status_code == 404


def test_status_page_shows_status_and_withdraws_by_post(client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    url = reverse("fiep_requests:status", args=[case.status_token])
    response = client.get(url)
    assert response.status_code == 200
    assert "Under review" in response.content.decode()
    response = client.post(url, {"confirm": "on", "reason": "Settled"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_reason) == (RequestStatus.WITHDRAWN, "Settled")


def test_status_page_withdraw_needs_confirmation(client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    url = reverse("fiep_requests:status", args=[case.status_token])
    assert client.post(url, {}).status_code == 200
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


def test_status_page_closed_request_offers_no_withdraw(client):
    case = FacilitationRequestFactory(status=RequestStatus.DENIED)
    url = reverse("fiep_requests:status", args=[case.status_token])
    assert "withdraw" not in client.get(url).content.decode().lower().split("</main>")[0][-2000:]
    client.post(url, {"confirm": "on"})
    case.refresh_from_db()
    assert case.status == RequestStatus.DENIED


def test_status_page_unknown_token_is_404(client):
    assert client.get("/requests/status/nope/").status_code == 404


def _awaiting(**kwargs):
    return FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT, consent_state=ConsentState.PENDING, **kwargs
    )


def test_consent_page_agree(client):
    case = _awaiting()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    assert client.get(url).status_code == 200
    log = AccessLog.objects.get()
    assert (log.case_reference, log.role) == (case.reference, "anonymous")
    response = client.post(url, {"answer": "agree"})
    assert response.status_code == 200
    assert "fiep_requests/consent_done.html" in [t.name for t in response.templates]
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


def test_consent_page_decline_with_reason(client):
    case = _awaiting()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    response = client.post(url, {"answer": "decline", "reason": "We prefer mediation"})
    assert "fiep_requests/consent_done.html" in [t.name for t in response.templates]
    case.refresh_from_db()
    assert case.status == RequestStatus.CANCELLED
    assert "mediation" in case.closed_reason


def test_consent_page_in_parent_language_when_district_asked(client):
    case = _awaiting(requested_by="district", parent_language="es")
    response = client.get(reverse("fiep_requests:consent", args=[case.consent_token]))
    assert '<html lang="es">' in response.content.decode()


def test_consent_page_after_answer_shows_no_form(client):
    case = FacilitationRequestFactory(
        status=RequestStatus.UNDER_REVIEW, consent_state=ConsentState.GIVEN
    )
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    assert 'name="answer"' not in client.get(url).content.decode()
    client.post(url, {"answer": "decline"})
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


@override_settings(FIEP_RATE_LIMIT_PER_HOUR=2)
def test_consent_page_posts_are_rate_limited(client):
    case = _awaiting()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    for _ in range(2):
        client.post(url, {})
    assert client.post(url, {}).status_code == 429


def test_no_state_change_over_get(client):
    case = _awaiting()
    client.get(reverse("fiep_requests:consent", args=[case.consent_token]) + "?answer=agree")
    case.refresh_from_db()
    assert case.status == RequestStatus.AWAITING_CONSENT


def test_status_page_in_requester_language_unless_chosen(client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW, parent_language="es")
    url = reverse("fiep_requests:status", args=[case.status_token])
    assert "En revisión" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Under review" in client.get(url).content.decode()
