"""The two-step log-in pages (set-up with QR code, recovery codes, code entry) in a real
browser with axe, including their error states. The crawler logs in with two-step log-in
off, so it never sees them."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fiep import mfa
from fiep.models import OutboxMessage, Role
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.mfa]


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_two_step_setup_and_verify_pages_are_accessible(page, live_server, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code straight after a wrong one
    newcomer = factories.UserFactory(role=Role.OFFICE_STAFF)
    login(page, live_server, newcomer.username, factories.PASSWORD)
    page.wait_for_url("**/accounts/mfa/setup/**")
    # Without the administrator's one-time link, the password alone enrols nothing.
    assert page.locator("main img").count() == 0
    assert_accessible(page, "two-step set-up without a link")
    # The link from the e-mail (built from SITE_URL: open its path on the test server).
    settings.SITE_URL = live_server.url
    mfa.enrolment_link_send(user=newcomer, by=factories.admin_user())
    url = re.search(r"https?://\S+/accounts/mfa/enrol/\S+/", OutboxMessage.objects.get().body_text)
    page.goto(url.group(0))
    page.wait_for_url("**/accounts/mfa/setup/**")
    # The QR code is an image the browser can draw (an SVG data URI with its namespace).
    assert page.locator("main img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page, "two-step set-up")
    screenshot(page, "mfa-setup")
    page.locator("main input[name=token]").fill("000000")
    page.locator("main [type=submit]").first.click()
    assert_accessible(page, "two-step set-up (wrong code)")
    device = TOTPDevice.objects.get(user=newcomer)
    page.locator("main input[name=token]").fill(current_code(device))
    page.locator("main [type=submit]").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert_accessible(page, "recovery codes")
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, newcomer.username, factories.PASSWORD)
    page.wait_for_url("**/accounts/mfa/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your code"
    assert_accessible(page, "two-step code entry")
    page.locator("main input[name=token]").fill("123")
    page.locator("main [type=submit]").first.click()
    assert_accessible(page, "two-step code entry (wrong code)")
    screenshot(page, "mfa-verify-error")
