"""The intake flow in a real browser: form → inbox → consent link → approval."""

import re

import pytest

from fiep.models import OutboxMessage, Role
from fiep_requests.models import FacilitationRequest, RequestStatus
from tests.factories import PASSWORD, DistrictFactory, UserFactory

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label):
    """A required field by its visible label (the label ends with "(required)")."""
    return page.get_by_label(f"{label} (required)", exact=True)


def fill_request_form(page):
    page.get_by_role("radio", name="Parent or guardian", exact=True).check()
    field(page, "Student's first name").fill("Lucia")
    field(page, "Student's last name").fill("Ejemplo")
    field(page, "Student's date of birth").fill("2013-05-02")
    page.get_by_label("Grade").fill("5")
    field(page, "School").fill("Prairie Elementary")
    # The search box (JavaScript) narrows the list; one match is selected.
    page.get_by_label("Search the list of districts").fill("prairie hills")
    assert field(page, "School district").input_value() != ""
    field(page, "School district").select_option(label="Prairie Hills R-I (010-001)")
    field(page, "Primary disability category").select_option("autism")
    page.locator("#id_has_iep_0").check()
    field(page, "Parent or guardian's name").fill("Rosa Ejemplo")
    page.get_by_label("Parent's e-mail").fill("rosa@example.org")
    field(page, "District contact's name").fill("Dana Director")
    page.get_by_label("District contact's e-mail").fill("dana@district.example.org")
    field(page, "Type of IEP meeting").select_option("annual_review")
    page.get_by_role("radio", name="Video").check()
    page.get_by_role("checkbox", name="Services", exact=True).check()
    field(page, "Tell us briefly what the disagreement is about").fill("Speech services.")
    page.get_by_role("checkbox", name=re.compile("^I agree to a facilitated IEP")).check()
    field(page, "Type your full name as your signature").fill("Rosa Ejemplo")


@pytest.fixture
def demo_district(db):
    return DistrictFactory(code="010-001", name="Prairie Hills R-I")


def test_request_flow_form_inbox_consent_approve(page, live_server, demo_district):
    staff = UserFactory(role=Role.OFFICE_STAFF)
    page.goto(f"{live_server.url}/requests/new/")
    assert_accessible(page, "request form (empty)")

    # Submitting with a missing narrative shows errors and keeps what was typed.
    fill_request_form(page)
    field(page, "Tell us briefly what the disagreement is about").fill("")
    page.get_by_role("button", name="Send the request").click()
    summary = page.locator("[data-error-summary]")
    assert "Tell us briefly" in summary.inner_text()
    assert field(page, "Student's first name").input_value() == "Lucia"
    assert_accessible(page, "request form (errors)")
    screenshot(page, "requests-form-errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_narrative"

    field(page, "Tell us briefly what the disagreement is about").fill("Speech services.")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Request received"
    case = FacilitationRequest.objects.get()
    assert case.reference in page.content()
    assert_accessible(page, "confirmation")

    # The link shown is built on SITE_URL; follow the same path on the live server.
    assert f"/requests/status/{case.status_token}/" in page.content()
    page.goto(f"{live_server.url}/requests/status/{case.status_token}/")
    assert "Awaiting the other party" in page.content()
    assert_accessible(page, "status page")

    # Staff see it in the inbox.
    login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/requests/inbox/")
    assert page.get_by_role("link", name=case.reference).is_visible()
    assert_accessible(page, "inbox")
    screenshot(page, "requests-inbox")

    # The district consents through the e-mailed link.
    message = OutboxMessage.objects.get(event="consent_requested")
    consent_url = re.search(r"https?://\S+/requests/consent/\S+/", message.body_text).group(0)
    path = consent_url.split("/requests/", 1)[1]
    consent_page = page.context.browser.new_page()
    consent_page.goto(f"{live_server.url}/requests/{path}")
    assert_accessible(consent_page, "consent page")
    consent_page.get_by_role("radio", name="I agree to a facilitated IEP meeting").check()
    consent_page.get_by_label("Your full name").fill("Dana Director")
    consent_page.get_by_role("button", name="Send my answer").click()
    assert "Thank you for your answer" in consent_page.content()
    consent_page.close()

    # Staff approve on the case page.
    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    assert_accessible(page, "case page")
    page.get_by_label("Message to both parties (optional)").first.fill("Welcome")
    page.get_by_role("button", name="Approve").click()
    assert "Approved. Both parties are being notified." in page.content()
    case.refresh_from_db()
    assert case.status == RequestStatus.APPROVED
    screenshot(page, "requests-case-approved")


def test_request_form_on_phone(phone_page, live_server, demo_district):
    phone_page.goto(f"{live_server.url}/requests/new/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page, "request form (phone)")
    screenshot(phone_page, "requests-form-phone")


def test_request_form_in_spanish(page, live_server, demo_district):
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_role("button", name="Español").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Solicitar una reunión facilitada del IEP"
    )
    assert_accessible(page, "request form (es)")
