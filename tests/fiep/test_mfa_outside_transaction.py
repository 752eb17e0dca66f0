"""The second log-in step as production runs it: no test transaction around the request.

django-otp loads devices with ``select_for_update`` when verifying; outside
``transaction.atomic()`` PostgreSQL refuses that (TransactionManagementError, a 500 on
every staff log-in). These tests use ``transaction=True`` so the view runs in autocommit,
as under gunicorn; CI runs them on SQLite and again on PostgreSQL.
"""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fiep import mfa
from fiep.models import Role
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.mfa]


def code_at(device, offset_steps=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_login(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


@pytest.fixture
def staff_with_device():
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_mfa_verify_outside_a_transaction_logs_in(client, staff_with_device):
    user, device = staff_with_device
    password_login(client, user)
    response = client.post(
        reverse("mfa-verify"), {"token": code_at(device), "next": reverse("staff-home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff-home")
    assert client.get(reverse("staff-home")).status_code == 200


def test_mfa_verify_refuses_a_code_three_steps_ahead(client, staff_with_device):
    user, device = staff_with_device
    password_login(client, user)
    # The default drift tolerance is one step; three steps ahead is a near miss.
    response = client.post(reverse("mfa-verify"), {"token": code_at(device, offset_steps=3)})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert client.get(reverse("staff-home")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_mfa_verify_refuses_a_replayed_code(client, staff_with_device):
    user, device = staff_with_device
    code = code_at(device)
    password_login(client, user)
    assert client.post(reverse("mfa-verify"), {"token": code}).status_code == 302
    client.logout()
    password_login(client, user)
    replay = client.post(reverse("mfa-verify"), {"token": code})
    assert replay.status_code == 200
    assert client.get(reverse("staff-home")).status_code == 302


def test_mfa_recovery_code_outside_a_transaction_works_once(client, staff_with_device):
    user, _ = staff_with_device
    codes = mfa.recovery_codes_regenerate(user=user)
    password_login(client, user)
    assert client.post(reverse("mfa-verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    client.logout()
    password_login(client, user)
    assert client.post(reverse("mfa-verify"), {"token": codes[0]}).status_code == 200
    assert client.get(reverse("staff-home")).status_code == 302


def test_verify_any_called_in_autocommit_returns_the_device(staff_with_device):
    user, device = staff_with_device
    assert mfa.verify_any(user=user, token=code_at(device)) == device
    assert mfa.verify_any(user=user, token="000000") is None
