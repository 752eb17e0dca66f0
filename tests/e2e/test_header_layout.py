"""The site header keeps its navigation on one row: a 1280 px desktop with a staff member
logged in, and a phone in Spanish (the longest labels)."""

import pytest

from fiep.models import Role
from tests import factories

from .conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _nav_rows(page):
    """The distinct top edges (rounded) of the header's navigation items."""
    boxes = [item.bounding_box() for item in page.locator(".site-header .nav-item").all()]
    assert len(boxes) >= 3
    return sorted({round(box["y"]) for box in boxes}), boxes


def _switch_to_spanish(page):
    page.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_header_is_one_row_at_1280(browser, live_server, language):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    staff = factories.UserFactory(role=Role.OFFICE_STAFF, first_name="Olivia")
    login(page, live_server, staff.username, factories.PASSWORD)
    page.goto(live_server.url + "/staff/")
    if language == "es":
        _switch_to_spanish(page)
    rows, boxes = _nav_rows(page)
    screenshot(page, f"header-staff-1280-{language}")
    context.close()
    assert len(rows) == 1, boxes


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_phone_header_is_one_row(phone_page, live_server, language):
    phone_page.goto(live_server.url + "/")
    if language == "es":
        _switch_to_spanish(phone_page)
    rows, boxes = _nav_rows(phone_page)
    screenshot(phone_page, f"header-phone-{language}")
    assert len(rows) == 1, boxes
    # Nothing runs off the side of the phone.
    assert all(box["x"] + box["width"] <= 390 for box in boxes), boxes
