"""The request form as parents meet it: end to end on a phone, keyboard only, in Spanish;
and the staff inbox filters. (The desktop flow with the inbox and consent is in
test_requests_flow.py; the keyboard-only survey in test_evaluations_survey.py.)"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from fiep.models import OutboxMessage, Role
from fiep_requests.models import FacilitationRequest, RequestStatus
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    FacilitationRequestFactory,
    RegionFactory,
    UserFactory,
)

from .conftest import assert_accessible, login, screenshot
from .test_requests_flow import fill_request_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_district(db):
    return DistrictFactory(code="010-001", name="Prairie Hills R-I")


def test_request_form_end_to_end_on_a_phone(phone_page, live_server, demo_district):
    page = phone_page
    page.goto(f"{live_server.url}/")
    screenshot(page, "home-phone")
    page.get_by_role("link", name="Request a meeting").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Request a facilitated IEP meeting"
    )
    fill_request_form(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send the request").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request received")
    case = FacilitationRequest.objects.get()
    assert case.reference in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "confirmation (phone)")
    screenshot(page, "requests-confirmation-phone")

    # The links as they were e-mailed (built from SITE_URL): open their paths here.
    bodies = "\n".join(OutboxMessage.objects.values_list("body_text", flat=True))
    status = re.search(r"https?://[^/\s]+(/requests/status/[^/\s]+/)", bodies)
    page.goto(live_server.url + status.group(1))
    assert case.reference in page.inner_text("main")
    assert_accessible(page, "status page (phone)")
    screenshot(page, "requests-status-phone")

    consent = re.search(r"https?://[^/\s]+(/requests/consent/[^/\s]+/)", bodies)
    page.goto(live_server.url + consent.group(1))
    assert case.student_last_name in page.inner_text("main")
    assert_accessible(page, "consent page (phone)")
    screenshot(page, "requests-consent-phone")


def _tab_to(page, predicate_js, limit=120):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def _tab_to_id(page, element_id):
    _tab_to(page, f"document.activeElement.id === {element_id!r}")


def _tab_to_name(page, name):
    _tab_to(page, f"document.activeElement.name === {name!r}")


def test_request_form_keyboard_only(page, live_server, demo_district):
    """Tab, type, Space and Enter only: no click, no fill, no select_option."""
    page.goto(f"{live_server.url}/requests/new/")
    keyboard = page.keyboard
    _tab_to_name(page, "requested_by")
    keyboard.press("Space")  # Parent or guardian
    for element_id, text in [
        ("id_student_first_name", "Lucia"),
        ("id_student_last_name", "Ejemplo"),
        ("id_student_birth_date", "05022013"),  # mm dd yyyy in an en-US date field
        ("id_school_name", "Prairie Elementary"),
        ("id_district_search", "prairie hills"),  # narrows the list to one district
    ]:
        _tab_to_id(page, element_id)
        keyboard.type(text)
    _tab_to_id(page, "id_disability_category")
    keyboard.type("Autism")  # type-ahead in a closed select
    _tab_to_name(page, "has_iep")
    keyboard.press("Space")
    _tab_to_id(page, "id_parent_name")
    keyboard.type("Rosa Ejemplo")
    _tab_to_id(page, "id_parent_email")
    keyboard.type("rosa@example.org")
    _tab_to_name(page, "interpreter_needed")
    keyboard.press("ArrowDown")  # arrow keys move and check within a radio group
    keyboard.press("ArrowUp")
    _tab_to_id(page, "id_district_contact_name")
    keyboard.type("Dana Director")
    _tab_to_id(page, "id_district_contact_email")
    keyboard.type("dana@district.example.org")
    _tab_to_id(page, "id_meeting_type")
    keyboard.type("Annual")
    _tab_to_name(page, "preferred_format")
    keyboard.press("Space")
    _tab_to_id(page, "id_concerns_1")
    keyboard.press("Space")
    _tab_to_id(page, "id_narrative")
    keyboard.type("Speech services.")
    _tab_to_name(page, "other_process_pending")
    keyboard.press("Space")
    _tab_to_id(page, "id_requester_consents")
    keyboard.press("Space")
    _tab_to_id(page, "id_signature_name")
    keyboard.type("Rosa Ejemplo")
    _tab_to(
        page,
        "document.activeElement.type === 'submit' && !!document.activeElement.closest('main')",
    )
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request received")
    case = FacilitationRequest.objects.get()
    assert (case.student_first_name, case.district, case.disability_category) == (
        "Lucia",
        demo_district,
        "autism",
    )
    assert (case.meeting_type, case.has_iep, case.requester_consents) == (
        "annual_review",
        True,
        True,
    )
    assert str(case.student_birth_date) == "2013-05-02"
    assert_accessible(page, "confirmation")
    screenshot(page, "requests-confirmation")


def _visible_texts(page):
    """Labels, legends, buttons, options, help and headings of the form page."""
    return set(
        page.evaluate(
            """() => Array.from(document.querySelectorAll(
                'main label, main legend, main button, main option, main h1, main h2, main h3,'
                + ' main .form-text, main p, main summary, main a, main th, main caption,'
                + ' header a, header button, footer p, title'))
              .map(e => e.innerText || e.textContent)
              .flatMap(t => t.split('\\n'))
              .map(t => t.trim()).filter(t => t)"""
        )
    )


# Same in both languages and fine: proper names, codes, numbers, words that are Spanish too.
ALLOWED_SAME = re.compile(r"^(English|Español|No|Video|Prairie Hills R-I \(010-001\)|[\d\W]+)$")


def _proper_names():
    return {
        settings.FIEP_OFFICE_EMAIL,
        settings.FIEP_OFFICE_PHONE,
        f"{settings.FIEP_STATE_NAME} {settings.FIEP_AGENCY_NAME}",
    }


def test_request_form_in_spanish_has_no_english_left(page, live_server, demo_district):
    page.goto(f"{live_server.url}/requests/new/")
    fill_request_form(page)
    field = page.get_by_label("Tell us briefly what the disagreement is about (required)")
    field.fill("")
    page.get_by_role("button", name="Send the request").click()
    english = _visible_texts(page)

    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="Enviar la solicitud").click()  # the error state
    page.wait_for_load_state()
    spanish = _visible_texts(page)
    assert_accessible(page, "request form errors (es)")
    screenshot(page, "requests-form-errors-es")

    same = english & spanish - _proper_names()
    left = sorted(t for t in same if not ALLOWED_SAME.match(t))
    assert left == []
    assert "Solicitar una reunión" in page.title()


def test_inbox_filters(page, live_server):
    north = RegionFactory(name="North")
    south = RegionFactory(name="South")
    prairie = DistrictFactory(name="Prairie Hills R-I", region=north)
    delta = DistrictFactory(name="Delta Plains R-IX", region=south)
    under_review = FacilitationRequestFactory(
        status=RequestStatus.UNDER_REVIEW, district=prairie, student_last_name="Quintero"
    )
    submitted = FacilitationRequestFactory(status=RequestStatus.SUBMITTED, district=delta)
    approved = FacilitationRequestFactory(status=RequestStatus.APPROVED, district=delta)
    staff = UserFactory(role=Role.OFFICE_STAFF)
    login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/requests/inbox/")

    def shown():
        return set(page.locator("tbody th[scope=row]").all_inner_texts())

    assert shown() == {under_review.reference, submitted.reference, approved.reference}
    page.get_by_label("Status").select_option(RequestStatus.UNDER_REVIEW)
    page.get_by_role("button", name="Apply").click()
    assert shown() == {under_review.reference}
    assert page.get_by_role("status").filter(has_text="1 request").count() == 1
    assert page.get_by_label("Status").input_value() == RequestStatus.UNDER_REVIEW
    assert_accessible(page, "inbox filtered by status")

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Region").select_option(label="South")
    page.get_by_role("button", name="Apply").click()
    assert shown() == {submitted.reference, approved.reference}

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Search: tracking number, student or parent").fill("quintero")
    page.get_by_role("button", name="Apply").click()
    assert shown() == {under_review.reference}

    page.get_by_label("Search: tracking number, student or parent").fill("nobody-matches")
    page.get_by_role("button", name="Apply").click()
    assert shown() == set()
    assert page.get_by_text("No requests match.").is_visible()
    assert_accessible(page, "inbox with no match")
    screenshot(page, "requests-inbox-filtered")
