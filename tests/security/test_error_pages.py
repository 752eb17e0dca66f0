"""Generic error pages: the request id, no trace, no SQL, no personal data (ASVS 7.4, 16.5)."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories

REQUEST_ID = "test-request-0123456789"
STUDENT = "Zelda Testperson"
FORBIDDEN_TEXT = ["Traceback", "RuntimeError", "simulated failure", "SELECT ", STUDENT]


def _assert_generic(response, status):
    text = response.content.decode()
    assert response.status_code == status
    assert REQUEST_ID in text
    assert response["X-Request-ID"] == REQUEST_ID
    for needle in FORBIDDEN_TEXT:
        assert needle not in text, needle
    # Error pages carry the same hardening headers as every other page.
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_404_page_shows_request_id_and_no_trace(client):
    response = client.get("/no-such-page/", headers={"X-Request-ID": REQUEST_ID})
    _assert_generic(response, 404)


@pytest.mark.django_db
def test_404_for_object_outside_scope_is_the_generic_page(client):
    """A case that exists, outside the user's scope (another district's), answers the
    same generic 404 as a case that does not exist: its existence is not revealed."""
    own, other = factories.DistrictFactory(), factories.DistrictFactory()
    first, last = STUDENT.split()
    case = factories.FacilitationRequestFactory(
        district=other, student_first_name=first, student_last_name=last
    )
    client.force_login(factories.liaison_user(own))
    response = client.get(
        reverse("fiep_requests:case", args=[case.reference]),
        headers={"X-Request-ID": REQUEST_ID},
    )
    _assert_generic(response, 404)
    missing = client.get(
        reverse("fiep_requests:case", args=["FIEP-2099-9999"]),
        headers={"X-Request-ID": REQUEST_ID},
    )
    assert missing.status_code == 404

    def page(resp, reference):
        text = resp.content.decode().replace(reference, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(response, case.reference) == page(missing, "FIEP-2099-9999")
    # The same user does see a case of their own district: the 404 is the scope, not a typo.
    mine = factories.FacilitationRequestFactory(district=own)
    assert client.get(reverse("fiep_requests:case", args=[mine.reference])).status_code == 200


@pytest.mark.django_db
def test_403_page_shows_request_id_and_no_trace(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("staff-home"), headers={"X-Request-ID": REQUEST_ID})
    _assert_generic(response, 403)


@pytest.mark.django_db
def test_403_is_logged_at_info_without_traceback(client, caplog):
    client.force_login(factories.UserFactory())
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        assert client.get(reverse("staff-home")).status_code == 403
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert len(forbidden) == 1
    assert forbidden[0].levelno == logging.INFO
    assert forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_404_logging_is_left_as_django_does_it(client, caplog):
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        assert client.get("/no-such-page/").status_code == 404
    not_found = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelno for r in not_found] == [logging.WARNING]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.error_urls", DEBUG=False)
def test_exception_in_a_view_renders_500_with_request_id_and_logs_no_pii(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/boom/",
            {"student_first_name": STUDENT, "parent_email": "zelda.parent@example.org"},
            headers={"X-Request-ID": REQUEST_ID},
        )
    _assert_generic(response, 500)
    assert "500.html" in [t.name for t in response.templates]
    logged = "\n".join(
        record.getMessage() + (caplog.text if record.exc_info else "") for record in caplog.records
    )
    assert caplog.records, "the failure is logged"
    assert STUDENT not in logged
    assert "zelda.parent@example.org" not in logged
    # The log line carries the request id, so the help desk can find it from the page.
    assert any(getattr(r, "request_id", "") == REQUEST_ID for r in caplog.records)
