"""The request form keeps what the parent typed in the browser tab when sending fails
(the connection dropped, the server answered 503), and forgets it once the request
arrived."""

import pytest
from playwright.sync_api import expect

from fiep_requests.models import FacilitationRequest
from tests.factories import DistrictFactory

from .test_requests_flow import field, fill_request_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_district(db):
    return DistrictFactory(code="010-001", name="Prairie Hills R-I")


def test_draft_survives_a_lost_connection_and_a_503_and_is_cleared_on_success(
    page, live_server, demo_district
):
    url = f"{live_server.url}/requests/new/"
    page.goto(url)
    fill_request_form(page)
    token = page.locator("input[name=submission_token]").input_value()

    # The connection drops as the parent sends the form.
    page.context.set_offline(True)
    with pytest.raises(Exception):  # noqa: B017  (the browser's own network error)
        page.get_by_role("button", name="Send the request").click()
        page.wait_for_url("**/received/", timeout=3000)
    page.context.set_offline(False)
    page.goto(url)
    expect(page.locator("#draft-restored")).to_be_visible()
    assert field(page, "Student's first name").input_value() == "Lucia"
    assert field(page, "School district").input_value() == str(demo_district.pk)
    assert page.get_by_role("radio", name="Video").is_checked()
    assert page.get_by_role("checkbox", name="Services", exact=True).is_checked()
    # The same submission token: a submit that did arrive is not made twice.
    assert page.locator("input[name=submission_token]").input_value() == token

    # The server is unreachable behind the proxy: 503.
    page.route(
        "**/requests/new/",
        lambda route: (
            route.fulfill(status=503, body="down")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("button", name="Send the request").click()
    page.unroute("**/requests/new/")
    page.goto(url)
    assert field(page, "Student's last name").input_value() == "Ejemplo"
    assert FacilitationRequest.objects.count() == 0

    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request received")
    assert FacilitationRequest.objects.get().submission_token == token
    page.goto(url)
    expect(page.locator("#draft-restored")).to_be_hidden()
    assert field(page, "Student's first name").input_value() == ""
