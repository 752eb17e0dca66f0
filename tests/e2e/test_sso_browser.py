"""Single sign-on in a real browser: Chromium signs in on the provider's own log-in page
(the real oidc-provider under node, tests/sso/provider/) and signs out of both."""

import copy
import re

import pytest
from playwright.sync_api import expect

from fiep.models import Role, User
from tests.sso.conftest import sso_settings
from tests.sso.provider import PASSWORD, STAFF_GROUP, RunningProvider, account

from .conftest import assert_accessible, screenshot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sso,
    pytest.mark.mfa,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_provider(live_server, settings, tmp_path):
    running = RunningProvider(
        tmp_path,
        redirect_uris=[f"{live_server.url}/accounts/sso/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/"],
    )
    sso_settings(settings, running.issuer)
    # As fiep/settings.py does when OIDC_ISSUER is set: the log-out form's answer goes on
    # to the provider's end-session page, which form-action governs.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", running.issuer]
    settings.CONTENT_SECURITY_POLICY = policy
    yield running
    running.stop()


def test_sign_in_on_the_providers_page_and_sign_out_of_both(page, live_server, browser_provider):
    user = User.objects.create_user("ana", email="ana@state.example")
    browser_provider.set_users(account("ana", groups=[STAFF_GROUP], amr=["pwd", "mfa"]))

    page.goto(f"{live_server.url}/accounts/login/")
    sign_in = page.get_by_role("link", name="Sign in with Test State ID")
    expect(sign_in).to_be_visible()
    assert_accessible(page, "log-in page with single sign-on")
    screenshot(page, "sso-login-desktop")
    sign_in.click()

    # The provider's own page, on its own origin.
    expect(page).to_have_url(re.compile(re.escape(browser_provider.issuer) + "/interaction/"))
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to Test State ID").click()

    expect(page).to_have_url(f"{live_server.url}/staff/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert set(user.groups.values_list("name", flat=True)) == {Role.OFFICE_STAFF.value}

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(re.escape(browser_provider.issuer) + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert [e["event"] for e in browser_provider.events()] == ["end_session.success"]

    # Both sessions are over: the staff area asks to log in, the provider for a password.
    page.goto(f"{live_server.url}/staff/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_role("link", name="Sign in with Test State ID").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_spanish_login_page_offers_the_provider(page, live_server, browser_provider):
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Iniciar sesión con Test State ID")).to_be_visible()
    assert_accessible(page, "log-in page with single sign-on, Spanish")


def test_refused_sign_in_shows_a_clear_accessible_page(page, live_server, browser_provider):
    User.objects.create_user("ben", email="ben@state.example")
    browser_provider.set_users(account("ben", groups=[STAFF_GROUP]))
    browser_provider.tamper_next_id_token(aud="another-application")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test State ID").click()
    page.get_by_label("Username").fill("ben")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to Test State ID").click()

    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("meant for another application")
    assert_accessible(page, "refused sign-in")
    screenshot(page, "sso-refused-desktop")
    page.get_by_role("link", name="Back to the log-in page").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
