"""Log-in lockout keyed on the username and the address (issue 15, L-5)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from fiep.admin import UserAdmin, unlock_login
from fiep.models import User
from tests import factories

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
USER_ADDRESS = "198.51.100.7"


def _login(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_attacker_from_another_address_cannot_lock_a_user_out(client, settings):
    factories.UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        _login(client, "target", "wrong", ATTACKER)
    # The attacker's own address is locked for that username …
    assert _login(client, "target", factories.PASSWORD, ATTACKER).status_code == 429
    # … but the user, from their own address, logs in.
    response = _login(client, "target", factories.PASSWORD, USER_ADDRESS)
    assert response.status_code == 302


def test_one_address_trying_many_usernames_is_locked(client, settings):
    settings.FIEP_LOGIN_FAILURES_PER_ADDRESS = 15
    factories.UserFactory(username="someone")
    for i in range(15):
        _login(client, f"guess{i}", "wrong", ATTACKER)  # each below the per-user limit
    assert _login(client, "someone", factories.PASSWORD, ATTACKER).status_code == 429
    assert _login(client, "someone", factories.PASSWORD, USER_ADDRESS).status_code == 302


def test_behind_a_trusted_proxy_the_lockout_counts_the_client_not_the_proxy(client, settings):
    """Behind the office's reverse proxy every log-in comes from the proxy's address: the
    per-address lockout must count the address the proxy forwards, or one attacker's
    failures would lock every office out."""
    settings.FIEP_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.FIEP_LOGIN_FAILURES_PER_ADDRESS = 15
    factories.UserFactory(username="someone")

    def via_proxy(username, password, address):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for i in range(15):
        via_proxy(f"guess{i}", "wrong", ATTACKER)
    assert via_proxy("someone", factories.PASSWORD, ATTACKER).status_code == 429
    assert via_proxy("someone", factories.PASSWORD, USER_ADDRESS).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_failures_just_below_the_limit_do_not_lock(client, settings):
    factories.UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "target", "wrong", USER_ADDRESS)
    assert _login(client, "target", factories.PASSWORD, USER_ADDRESS).status_code == 302


def test_administrator_unlocks_a_user_from_the_admin(client, settings):
    factories.UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "target", "wrong", USER_ADDRESS)
    assert _login(client, "target", factories.PASSWORD, USER_ADDRESS).status_code == 429
    root = factories.admin_user(is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/fiep/user/")
    request.user = root
    request._messages = _Messages()
    unlock_login(UserAdmin(User, site), request, User.objects.filter(username="target"))
    assert not AccessAttempt.objects.filter(username="target").exists()
    assert _login(client, "target", factories.PASSWORD, USER_ADDRESS).status_code == 302


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)
