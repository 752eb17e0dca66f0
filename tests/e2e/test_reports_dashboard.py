import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from fiep.demo import seed as seed_core
from reports.demo import seed as seed_reports
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_login(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    seed_core(out)
    seed_reports(out)
    user = factories.staff_user(username="reportstaff")
    login(page, live_server, "reportstaff", factories.PASSWORD)
    return user


def test_dashboard_is_accessible_and_generates_a_pdf(page, live_server, staff_login):
    page.goto(f"{live_server.url}/reports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Program dashboard"
    page.get_by_label("School year", exact=True).select_option("2016-2017")
    page.get_by_role("button", name="Show").click()
    assert "Figures for July 1, 2016 to June 30, 2017" in page.inner_text("main")
    consensus = page.locator("#figure-consensus_rate").inner_text()
    assert "meetings with a recorded outcome" in consensus
    assert page.locator("img[src^='data:image/svg+xml']").count() == 5
    assert_accessible(page, "reports dashboard")
    screenshot(page, "reports-dashboard")

    page.get_by_role("button", name="Generate PDF").click()
    assert page.get_by_text("The report is ready.").is_visible()
    assert_accessible(page, "report run")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    value = consensus.split("\n")[1].strip()
    assert value in text
    page.get_by_role("link", name="Report archive").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Report archive"
    assert_accessible(page, "report archive")


def test_dashboard_on_a_phone(phone_page, live_server, staff_login):
    login(phone_page, live_server, "reportstaff", factories.PASSWORD)
    phone_page.goto(f"{live_server.url}/reports/?school_year=all")
    assert phone_page.get_by_role("heading", name="Trends by school year").is_visible()
    assert_accessible(phone_page, "reports dashboard (phone)")
    screenshot(phone_page, "reports-dashboard-phone")
