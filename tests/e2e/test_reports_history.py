"""The history upload and the dispute-resolution statistics in a real browser, with axe."""

import pytest

from fiep_requests.models import FacilitationRequest
from reports.models import DisputeStatistics
from tests import factories
from tests.reports.history_helpers import EXAMPLES

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_page(page, live_server):
    user = factories.staff_user(username="office")
    login(page, live_server, user.username, factories.PASSWORD)
    return page


def test_history_upload_errors_then_import(staff_page, live_server, tmp_path):
    page = staff_page
    page.goto(live_server.url + "/reports/history/import/")
    assert page.get_by_role("heading", level=1).inner_text() == "Import program history"
    assert_accessible(page, "history upload")
    screenshot(page, "reports-history-upload")

    bad = tmp_path / "meetings.csv"
    bad.write_text(
        "reference,district_code,requested_on,requested_by,status,meeting_date\n"
        "MO-1,nowhere,2017-13-01,parent,held,\n"
    )
    page.get_by_label("History files (CSV)").set_input_files([str(bad)])
    page.get_by_role("button", name="Check and import").click()
    problems = page.locator("#import-problems li").all_inner_texts()
    assert (
        "meetings.csv:2: column requested_on: '2017-13-01' is not a date like 2017-03-31 "
        "(YYYY-MM-DD)" in problems
    )
    assert len(problems) == 3
    assert_accessible(page, "history upload with problems")
    screenshot(page, "reports-history-upload-problems")

    # The problems are shown on the upload's own page (imports run on the worker); a new
    # upload starts from the import page again.
    page.goto(live_server.url + "/reports/history/import/")
    page.get_by_label("History files (CSV)").set_input_files(
        [str(path) for path in sorted(EXAMPLES.glob("*.csv"))]
    )
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("heading", name="The history was imported").wait_for()
    assert "8" in page.locator("#import-summary").inner_text()
    assert FacilitationRequest.objects.count() == 8
    assert_accessible(page, "history upload imported")
    screenshot(page, "reports-history-upload-imported")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_disputes_pages_accessible(viewport, request, live_server):
    page = request.getfixturevalue(viewport)
    user = factories.admin_user(username=f"admin-{viewport}")
    login(page, live_server, user.username, factories.PASSWORD)
    factories.DisputeStatisticsFactory(start_year=2016, child_complaints=128, allegations=344)

    page.goto(live_server.url + "/reports/history/disputes/")
    assert_accessible(page, "disputes list")
    page.get_by_role("link", name="Add a school year").click()
    page.get_by_label("School year").fill("2016-2017")
    page.get_by_label("Child complaints").fill("-3")
    page.get_by_label("Allegations").fill("300")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("There are already statistics for 2016-2017").first.is_visible()
    assert_accessible(page, "disputes form with errors")
    screenshot(page, f"reports-disputes-form-errors-{viewport}")

    page.get_by_label("School year").fill("2017-2018")
    page.get_by_label("Child complaints").fill("117")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dispute-resolution statistics"
    assert "-11 (-9%)" in page.locator("#dispute-statistics").inner_text()
    assert DisputeStatistics.objects.get(start_year=2017).child_complaints == 117
    assert_accessible(page, "disputes list with change")
    screenshot(page, f"reports-disputes-list-{viewport}")
