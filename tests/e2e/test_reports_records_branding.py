"""Real browser: traceable figures (dashboard → records list) and the administrators'
logo and colours, axe-clean (issue 17)."""

import io

import pytest
from PIL import Image

from fiep.demo import seed as seed_core
from reports.demo import seed as seed_reports
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    seed_core(out)
    seed_reports(out)


def test_headline_links_to_the_records_it_counts(page, live_server, seeded):
    factories.staff_user(username="tracestaff")
    login(page, live_server, "tracestaff", factories.PASSWORD)
    page.goto(f"{live_server.url}/reports/?school_year=2016-2017")
    card = page.locator("#figure-meetings_held")
    value = card.locator("p.display-6").inner_text().strip()
    assert_accessible(page, "reports dashboard with record links")
    page.locator("#definitions summary").click()
    assert "A school year runs from July 1 to June 30" in page.inner_text("#definitions")
    assert_accessible(page, "reports dashboard, about these figures open")
    card.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Records behind “Meetings held”"
    assert page.locator("#record-count").get_attribute("data-total") == value
    assert_accessible(page, "records behind a figure")
    screenshot(page, "reports-records")


def test_administrator_sets_logo_and_colours(page, live_server, seeded, tmp_path):
    factories.admin_user(username="brandadmin")
    login(page, live_server, "brandadmin", factories.PASSWORD)
    page.goto(f"{live_server.url}/staff/branding/")
    assert_accessible(page, "branding settings")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), "darkgreen").save(logo)
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    page.get_by_label("Text alternative of the logo (English)").fill("Agency logo")
    page.get_by_label("Text alternative of the logo (Spanish)").fill("Logotipo de la agencia")
    page.get_by_label("Primary colour (header)").fill("#ffd700")
    page.get_by_label("Accent colour (page headings)").fill("#66aaff")
    page.get_by_role("button", name="Save").click()
    assert "A darker shade such as #4777b2 would do" in page.inner_text("main")
    assert_accessible(page, "branding settings with an error")
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    page.get_by_label("Accent colour (page headings)").fill("#4777b2")
    page.get_by_role("button", name="Save").click()
    assert "Text on the primary colour is black" in page.inner_text("main")
    page.goto(f"{live_server.url}/")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 215, 0)"
    assert page.get_by_role("img", name="Agency logo").is_visible()
    assert_accessible(page, "home page with the agency's colours")  # axe checks contrast
    screenshot(page, "branding-home")
