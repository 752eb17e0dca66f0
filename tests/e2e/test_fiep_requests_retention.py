"""Parent-requested destruction and the certificates page in a real browser."""

import pytest

from fiep.models import Role
from fiep_requests.models import DestructionCertificate, FacilitationRequest
from fiep_requests.services import request_transition
from tests.factories import PASSWORD, FacilitationRequestFactory, UserFactory
from tests.fiep_requests.retention_helpers import full_case

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_destruction_on_parent_request_and_certificates_page(page, live_server):
    staff = UserFactory(role=Role.OFFICE_STAFF)
    other = FacilitationRequestFactory(status="under_review")
    request_transition(request=other, to_status="approved", by=staff)
    case = full_case(years_ago=0)
    login(page, live_server, staff.username, PASSWORD)

    page.goto(f"{live_server.url}/requests/case/{other.reference}/")
    assert page.get_by_role("heading", name="Changes to the request").is_visible()
    assert_accessible(page, "case page with changes")
    screenshot(page, "requests-case-changes")

    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    form = page.locator(
        "form", has=page.get_by_role("heading", name="Parent asked for destruction")
    )
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Destroy the identifying data").click()
    assert "identifying data of this request was destroyed" in page.content()
    assert_accessible(page, "case page after destruction")
    case = FacilitationRequest.objects.get(pk=case.pk)
    assert case.identifying_data_purged_at is not None

    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Destruction certificates").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Destruction certificates"
    assert case.reference in page.content()
    assert DestructionCertificate.objects.get().performed_by == staff
    assert_accessible(page, "destruction certificates")
    screenshot(page, "requests-destruction-certificates")


def test_certificates_page_on_phone(phone_page, live_server):
    staff = UserFactory(role=Role.OFFICE_STAFF)
    from fiep_requests.retention import student_data_purge

    full_case(years_ago=6, held=False)
    student_data_purge()
    login(phone_page, live_server, staff.username, PASSWORD)
    phone_page.goto(f"{live_server.url}/requests/destruction-certificates/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page, "destruction certificates (phone)")
