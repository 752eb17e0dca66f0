"""Two-factor login (TOTP, django-otp) for the roles that see student records.

Office staff, administrators and facilitators must confirm a one-time code from an
authenticator app after their password (ASVS 6.3 / NIST 800-63B AAL2). Recovery codes
(single use) cover a lost phone. District liaisons may enrol but are not required to;
without a second factor their password must be at least 15 characters.
"""

import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role

MFA_ROLES = {Role.OFFICE_STAFF.value, Role.ADMINISTRATOR.value, Role.FACILITATOR.value}
RECOVERY_CODE_COUNT = 10


def mfa_required_for(user):
    """True when ``user`` must pass a second factor (by role, or any superuser)."""
    if not settings.FIEP_MFA_REQUIRED:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(MFA_ROLES & {g.name for g in user.groups.all()})


def has_confirmed_device(user):
    return user_has_device(user, confirmed=True)


def totp_device_for_setup(*, user):
    """The user's unconfirmed TOTP device, created if needed (side effect: one row)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret_base32(device):
    return b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_confirm(*, device, token):
    """Confirm a new authenticator with its first code; returns the recovery codes.

    Side effects: the device is confirmed; any older recovery codes are replaced by
    RECOVERY_CODE_COUNT new single-use codes, returned once in clear text.
    """
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return recovery_codes_regenerate(user=device.user)


def recovery_codes_regenerate(*, user):
    """Replace the user's recovery codes with new ones (returned once, stored as given)."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify_any(*, user, token):
    """The confirmed device (authenticator or recovery codes) that accepts ``token``.

    django-otp locks the user's devices (``select_for_update``) while verifying so two
    concurrent requests cannot both use one code; that lock needs a transaction, which
    production (autocommit, no ATOMIC_REQUESTS) does not open for us. Side effects: the
    accepting device records the code as used (TOTP ``last_t``, a recovery code is
    deleted); a refused code counts towards the device's throttling.
    """
    token = "".join(token.split())
    with transaction.atomic():
        return _verify_locked(user, token)


def _verify_locked(user, token):
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None
