"""An administrator changes a Spanish subject in a real browser: preview, save, and the
next message to a Spanish-speaking parent uses it; then resets it."""

import pytest

from fiep.models import AccessLog, MessageWording, OutboxMessage
from fiep.notifications import Event
from fiep_requests import services as request_services
from tests import factories
from tests.fiep_requests.conftest import submit_data

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_edits_a_spanish_subject_with_preview_and_the_next_message_uses_it(
    page, live_server
):
    admin = factories.admin_user(username="ada", first_name="Ada", last_name="Admin")
    login(page, live_server, admin.username, factories.PASSWORD)
    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="Wording of messages and letters").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wording of messages"
    assert_accessible(page, "wording list")
    screenshot(page, "wording-list")
    page.get_by_role("link", name="Default Request received (to each party), Spanish").click()

    subject = page.get_by_label("Subject")
    assert subject.input_value().startswith("Recibimos su solicitud {{ reference }}")
    body = page.get_by_label("Text")
    assert "{{ status_url }}" in body.input_value()
    assert_accessible(page, "wording edit")

    # A typo in a placeholder: refused with its line, nothing saved.
    subject.fill("Solicitud {{ referense }} recibida")
    page.get_by_role("button", name="Preview").click()
    assert (
        "line 1: unknown placeholder {{ referense }}"
        in page.locator(".invalid-feedback, .errorlist").first.inner_text()
    )
    assert_accessible(page, "wording edit with an error")

    page.get_by_label("Subject").fill("Solicitud {{ reference }} recibida: gracias")
    page.get_by_role("button", name="Preview").click()
    assert (
        page.locator("#preview-subject").inner_text()
        == "Solicitud FIEP-2026-0007 recibida: gracias"
    )
    assert "Rosa Ejemplo" in page.locator("#preview-text").inner_text()
    assert page.locator("#preview-html a[href*='/requests/status/']").count() == 1
    assert_accessible(page, "wording preview")
    screenshot(page, "wording-preview")
    assert not MessageWording.objects.exists()

    page.get_by_role("button", name="Save").click()
    assert "The new wording is saved" in page.locator(".alert").first.inner_text()
    assert "Ada Admin" in page.locator("main").inner_text()

    district = factories.DistrictFactory()
    case = request_services.request_submit(
        data=submit_data(district, parent_language="es", parent_name="Marta Real"),
        ip=None,
        submission_token="e2e",
    )
    received = OutboxMessage.objects.get(
        event=Event.REQUEST_RECEIVED, recipient_email="rosa@example.org"
    )
    assert received.subject == f"Solicitud {case.reference} recibida: gracias"
    assert received.body_text.startswith("Hola, Marta Real:")
    assert received.language == "es"

    # The same text on that real case: its names, access-logged, example links.
    page.get_by_label("Preview on a case (tracking number)").fill(case.reference)
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-text").inner_text().startswith("Hola, Marta Real:")
    assert case.status_token not in page.locator("#preview-text").inner_text()
    assert AccessLog.objects.filter(case_reference=case.reference, user=admin).count() == 1

    page.get_by_role("link", name="History of changes").click()
    assert "Ada Admin" in page.locator("main").inner_text()
    assert_accessible(page, "wording history")
    screenshot(page, "wording-history")

    page.get_by_role("link", name="Back to the message").click()
    page.get_by_role("button", name="Reset to the default text").click()
    assert "default text again" in page.locator(".alert").first.inner_text()
    assert page.get_by_label("Subject").input_value().startswith("Recibimos su solicitud")
    assert not MessageWording.objects.exists()
