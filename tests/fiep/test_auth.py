"""Log-in, two-step log-in, passwords, lockout and sessions (issue 8)."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fiep import mfa
from fiep.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def password_login(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return response


@pytest.mark.mfa
@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.ADMINISTRATOR, Role.FACILITATOR])
def test_mfa_required_roles_are_sent_to_setup_then_pass(client, role):
    user = factories.UserFactory(role=role)
    _link, url = mfa.enrolment_link_send(user=user, by=factories.admin_user())
    password_login(client, user)
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa-verify"))
    assert client.get(reverse("mfa-verify"))["Location"] == reverse("mfa-setup")
    # The e-mailed one-time link opens the set-up page.
    assert client.get(url.removeprefix(settings.SITE_URL))["Location"] == reverse("mfa-setup")
    page = client.get(reverse("mfa-setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("mfa-setup"), {"token": "000000"})
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    done = client.post(reverse("mfa-setup"), {"token": current_code(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == mfa.RECOVERY_CODE_COUNT
    assert client.get(reverse("staff-home")).status_code == 200


@pytest.mark.mfa
def test_mfa_verify_with_authenticator_code_and_recovery_code(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = mfa.recovery_codes_regenerate(user=user)
    password_login(client, user)
    assert client.get(reverse("staff-home")).status_code == 302
    response = client.post(
        reverse("mfa-verify") + "?next=/staff/", {"token": current_code(device), "next": "/staff/"}
    )
    assert response["Location"] == "/staff/"
    assert client.get(reverse("staff-home")).status_code == 200

    client.logout()
    password_login(client, user)
    client.post(reverse("mfa-verify"), {"token": codes[0]})
    assert client.get(reverse("staff-home")).status_code == 200
    client.logout()
    password_login(client, user)
    reused = client.post(reverse("mfa-verify"), {"token": codes[0]})
    assert reused.status_code == 200  # a recovery code works once
    assert client.get(reverse("staff-home")).status_code == 302


@pytest.mark.mfa
def test_mfa_not_required_for_district_liaison(client):
    user = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    password_login(client, user)
    assert client.get(reverse("staff-home")).status_code == 200


@pytest.mark.mfa
def test_mfa_unverified_user_still_reaches_public_pages_and_logout(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    password_login(client, user)
    assert client.get("/health/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_password_length_depends_on_two_step_login(settings):
    settings.FIEP_MFA_REQUIRED = True
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    liaison = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    validate_password("quiet-river-9", staff)  # 13 characters, staff use a second factor
    with pytest.raises(ValidationError, match="at least 15"):
        validate_password("quiet-river-9", liaison)
    validate_password("quiet river stones", liaison)
    validate_password("x" * 30 + " long passphrase " * 5, liaison)  # > 64 allowed
    with pytest.raises(ValidationError, match="at most 128"):
        validate_password("y" * 129, liaison)


def test_password_common_list_is_refused():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("polniypizdec0211")


def test_password_no_composition_rules():
    validate_password("all lower case words here")


def test_login_lockout_after_repeated_failures(client, settings):
    factories.UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "target", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "target", "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_login_cycles_session_key(client):
    user = factories.UserFactory()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    password_login(client, user)
    assert client.session.session_key != before


def test_logout_invalidates_the_session(client):
    from django.contrib.sessions.models import Session

    user = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    password_login(client, user)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivated_user_session_ends(client):
    user = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    password_login(client, user)
    assert client.get(reverse("staff-home")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("staff-home")).status_code == 302


def test_password_change_ends_other_sessions(client, django_user_model):
    from django.test import Client

    user = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    other = Client()
    other.force_login(user)
    assert other.get(reverse("staff-home")).status_code == 200
    user.set_password("a brand new long passphrase")
    user.save()
    assert other.get(reverse("staff-home")).status_code == 302


def test_staff_session_times_out_after_inactivity(client, settings):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    client.force_login(user)
    assert client.get(reverse("staff-home")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - settings.FIEP_STAFF_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
