"""Two-step set-up only through an administrator's one-time link (issue 15).

Before: any account without an authenticator enrolled one with the password alone (trust
on first use), so a stolen password of a new staff account was enough to take it over.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fiep import mfa
from fiep.admin import UserAdmin, send_mfa_enrolment_link
from fiep.models import MFAEnrolmentLink, OutboxMessage, Role, User
from tests import factories

from .test_auth import current_code, password_login

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Many log-ins: hashing the passwords properly would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _path(url):
    return url.removeprefix(settings.SITE_URL)


def _token(url):
    return re.search(r"/accounts/mfa/enrol/([^/]+)/", url).group(1)


def _enrol(client, user):
    """Set up with the session's link; returns the confirmed device or None."""
    page = client.get(reverse("mfa-setup"))
    if "qr_data" not in (page.context or {}):
        return None
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("mfa-setup"), {"token": current_code(device)})
    device.refresh_from_db()
    return device if device.confirmed else None


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.ADMINISTRATOR, Role.FACILITATOR])
def test_password_alone_never_enrols_a_device(client, role):
    user = factories.UserFactory(role=role)
    password_login(client, user)
    page = client.get(reverse("mfa-setup"))
    assert page.status_code == 200
    assert "set-up link" in page.content.decode()
    assert "qr_data" not in page.context
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Guessing codes at the set-up page confirms nothing either.
    client.post(reverse("mfa-setup"), {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("staff-home")).status_code == 302


def test_the_link_enrols_once_then_two_step_log_in_works(client):
    user = factories.UserFactory(role=Role.FACILITATOR, email="f@example.org")
    _link, url = mfa.enrolment_link_send(user=user, by=factories.admin_user())
    message = OutboxMessage.objects.get(recipient_email="f@example.org")
    assert url in message.body_text and url.startswith(settings.SITE_URL)
    password_login(client, user)
    assert client.get(_path(url))["Location"] == reverse("mfa-setup")
    assert _enrol(client, user) is not None
    assert client.get(reverse("staff-home")).status_code == 200
    # Used: the same link does not open again, even for the same user.
    client.logout()
    password_login(client, user)
    assert client.get(_path(url)).status_code == 404


def test_link_expires_after_72_hours(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    link, url = mfa.enrolment_link_send(user=user)
    lifetime = link.expires_at - link.created_at
    assert abs(lifetime - datetime.timedelta(hours=72)) < datetime.timedelta(seconds=1)
    password_login(client, user)
    MFAEnrolmentLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(_path(url)).status_code == 404
    assert _enrol(client, user) is None


def test_a_new_link_replaces_the_old_one(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    _old, old_url = mfa.enrolment_link_send(user=user)
    _new, new_url = mfa.enrolment_link_send(user=user)
    password_login(client, user)
    assert client.get(_path(old_url)).status_code == 404
    assert client.get(_path(new_url)).status_code == 302


def test_link_opens_only_for_its_user_and_its_exact_token(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    other = factories.UserFactory(role=Role.OFFICE_STAFF)
    _link, url = mfa.enrolment_link_send(user=user)
    _other_link, other_url = mfa.enrolment_link_send(user=other)
    token, other_token = _token(url), _token(other_url)
    password_login(client, user)
    middle = len(token) // 2
    near_misses = {
        "prefix": token[:3],
        "all but last": token[:-1],
        "suffix": token + "x",
        "one changed": token[:middle]
        + ("A" if token[middle] != "A" else "B")
        + token[middle + 1 :],
        "case changed": token.swapcase(),
        "another user's valid token": other_token,
    }
    for label, wrong in near_misses.items():
        # Built from the valid link: a token of the wrong shape has no reverse.
        response = client.get(_path(url).replace(token, wrong, 1))
        assert response.status_code == 404, label
    assert _enrol(client, user) is None
    # Anonymous: the log-in page first.
    client.logout()
    response = client.get(_path(url))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_administrator_sends_the_link_from_the_admin_site():
    root = factories.admin_user(is_staff=True, is_superuser=True)
    user = factories.UserFactory(role=Role.FACILITATOR, email="new@example.org")
    request = RequestFactory().post("/admin/fiep/user/")
    request.user = root
    request._messages = _Messages()
    send_mfa_enrolment_link(UserAdmin(User, site), request, User.objects.filter(pk=user.pk))
    link = MFAEnrolmentLink.objects.get(user=user)
    assert link.created_by == root and link.used_at is None
    assert OutboxMessage.objects.filter(recipient_email="new@example.org").count() == 1


def test_a_verified_user_may_replace_their_authenticator(client):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    device = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    password_login(client, user)
    client.post(reverse("mfa-verify"), {"token": current_code(device)})
    page = client.get(reverse("mfa-setup"))
    assert "qr_data" in page.context


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)
