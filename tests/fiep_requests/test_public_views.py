import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from fiep.models import AccessLog, OutboxMessage
from fiep.wording import saved_wording
from fiep_requests import services
from fiep_requests.models import ConsentState, FacilitationRequest, RequestStatus, Submission
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
    response = client.post(url, {"answer": "agree", "full_name": "Dana Director"})
    assert response.status_code == 200
    assert "fiep_requests/consent_done.html" in [t.name for t in response.templates]
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


def test_consent_page_decline_with_reason(client):
    case = _awaiting()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    response = client.post(
        url, {"answer": "decline", "reason": "We prefer mediation", "full_name": "Dana Director"}
    )
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


# --- issue 16: the submit's queries and the confirmation cookie ---------------------------


#: The form's POST accepts the request: the district; the submission token's earlier
#: submission; the tracking number and the submission row (one statement on PostgreSQL;
#: on SQLite a savepoint, the number, the row and the release: 3 more). The filing (the
#: worker) is counted apart: FILE_QUERIES.
SUBMIT_QUERIES = 3
#: The filing: a savepoint; the submission, locked; the request; its history row; its two
#: status changes (one insert); the district's name for the messages; the messages; the
#: submission linked; the savepoint's release.
FILE_QUERIES = 9


@pytest.mark.parametrize("requested_by", ["parent", "district", "joint"])
def test_request_form_post_makes_at_most_12_queries(
    client, a_district, django_assert_num_queries, requested_by
):
    """Rate limit (cache), district, tracking number and the submission: SUBMIT_QUERIES
    (at most 12, issue 16) per submit, with a submission token (a browser always sends
    one); then the worker's filing, FILE_QUERIES. Exact, as every query guard
    (docs/conventions.md)."""
    from celery import current_app

    ContentType.objects.get_for_model(FacilitationRequest)  # cached per process when serving
    saved_wording(event="request_received", channel="email", language="en")  # cached when serving
    data = form_data(a_district, requested_by=requested_by, submission_token="tok-q")
    expected_submit = SUBMIT_QUERIES + (0 if connection.vendor == "postgresql" else 3)
    assert expected_submit <= 12
    # With a worker (not eager), the POST only accepts; the beat's run files.
    current_app.conf.task_always_eager = False
    with django_assert_num_queries(expected_submit):
        response = client.post(NEW, data)
    assert response.status_code == 302
    assert not FacilitationRequest.objects.exists()
    (submission,) = Submission.objects.all()
    with django_assert_num_queries(FILE_QUERIES):
        case = services.submission_file(submission.pk)
    assert case == FacilitationRequest.objects.get()
    assert (case.reference, case.status_token) == (submission.reference, submission.status_token)
    # the same history as before: submitted, then the first waiting status
    steps = list(case.status_changes.order_by("at", "id").values_list("from_status", "to_status"))
    expected = "under_review" if requested_by == "joint" else "awaiting_consent"
    assert steps == [("", "submitted"), ("submitted", expected)]
    assert case.status == expected
    events = sorted(OutboxMessage.objects.values_list("event", flat=True))
    if requested_by == "joint":
        assert events == ["request_received", "request_received"]
        assert case.agreed_on is not None and case.consent_requested_at is None
    else:
        assert events == ["consent_requested", "request_received"]
        assert case.consent_requested_at is not None and case.agreed_on is None


def test_tracking_numbers_follow_each_other(client, a_district):
    for _ in range(3):
        client.post(NEW, form_data(a_district))
    references = sorted(FacilitationRequest.objects.values_list("reference", flat=True))
    year = references[0].split("-")[1]
    assert references == [f"FIEP-{year}-000{i}" for i in (1, 2, 3)]


def test_submitted_page_reads_only_its_own_signed_cookie(client, a_district):
    from fiep_requests.views.public import SUBMITTED_COOKIE

    client.post(NEW, form_data(a_district))
    case = FacilitationRequest.objects.get()
    submitted = reverse("fiep_requests:submitted")
    assert case.reference in client.get(submitted).content.decode()
    # a cookie naming another case, not signed by the site: refused
    other = FacilitationRequestFactory(reference="OTHER-0001")
    client.cookies[SUBMITTED_COOKIE] = str(other.pk)
    assert client.get(submitted).status_code == 404
    # a signed value one character off: refused too
    good = client.cookies[SUBMITTED_COOKIE].value
    client.cookies[SUBMITTED_COOKIE] = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert client.get(submitted).status_code == 404
    # a fresh browser has no cookie at all
    client.cookies.clear()
    assert client.get(submitted).status_code == 404
