import pytest

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_home_and_faq_render_and_are_accessible(viewport, request, live_server):
    page = request.getfixturevalue(viewport)
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Facilitated IEP meetings"
    assert_accessible(page, "home")
    screenshot(page, f"home-{viewport}")
    page.get_by_role("link", name="Questions").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Frequently asked questions"
    assert_accessible(page, "faq")


def test_language_switch_in_browser(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Español").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reuniones facilitadas del IEP"
    assert page.locator("html").get_attribute("lang") == "es"
    screenshot(page, "home-es")


def test_skip_link_is_first_tab_stop(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
