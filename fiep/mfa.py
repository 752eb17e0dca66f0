"""Two-factor login (TOTP, django-otp) for the roles that see student records.

Office staff, administrators and facilitators must confirm a one-time code from an
authenticator app after their password (ASVS 6.3 / NIST 800-63B AAL2). Recovery codes
(single use) cover a lost phone. District liaisons may enrol but are not required to;
without a second factor their password must be at least 15 characters.
"""

import datetime
import hashlib
import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import MFAEnrolmentLink, Role
from .notifications import Event, notify

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
    """The confirmed device (authenticator or recovery codes) that accepts ``token``."""
    token = "".join(token.split())
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None


# --- One-time set-up links (issue 15): no trust on first use -------------------------

#: How long a set-up link works.
ENROLMENT_LINK_HOURS = 72
#: The session key that holds the set-up link a user opened (its id).
ENROLMENT_SESSION_KEY = "fiep_mfa_enrolment_link"


def _token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enrolment_link_send(*, user, by=None):
    """Send ``user`` a one-time link to set up their authenticator, valid
    ``ENROLMENT_LINK_HOURS`` hours; returns ``(link, url)``.

    Side effects: earlier unused links of the user stop working; one MFAEnrolmentLink
    row (the token's hash only); an MFA_ENROLMENT e-mail (outbox) in the user's language
    with the link built from SITE_URL.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        MFAEnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        link = MFAEnrolmentLink.objects.create(
            user=user,
            token_hash=_token_hash(token),
            created_by=by,
            expires_at=now + datetime.timedelta(hours=ENROLMENT_LINK_HOURS),
        )
        url = settings.SITE_URL + reverse("mfa-enrol", args=[token])
        notify(
            event=Event.MFA_ENROLMENT,
            to_email=user.email,
            to_name=user.get_full_name(),
            language=user.preferred_language,
            context={
                "name": user.first_name or user.get_username(),
                "username": user.get_username(),
                "url": url,
                "hours": ENROLMENT_LINK_HOURS,
            },
            dedupe_key=f"mfa_enrolment:{link.pk}",
            related=link,
        )
    return link, url


def enrolment_link_for(*, token, user, now=None):
    """The unused, unexpired set-up link of ``user`` whose token is exactly ``token``,
    or None (another user's link, a used or expired one, a near miss)."""
    if not token or len(token) > 64 or not user.is_authenticated:
        return None
    return MFAEnrolmentLink.objects.filter(
        token_hash=_token_hash(token),
        user=user,
        used_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).first()


def enrolment_link_in_session(request):
    """The set-up link the user opened in this session, if still valid."""
    link_id = request.session.get(ENROLMENT_SESSION_KEY)
    if link_id is None:
        return None
    return MFAEnrolmentLink.objects.filter(
        pk=link_id, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def may_enrol(request):
    """A device may be set up only by a user who passed two-step log-in this session
    (changing their authenticator) or who opened a valid set-up link in it."""
    return request.user.is_verified() or enrolment_link_in_session(request) is not None


def enrolment_link_use(request):
    """Mark the session's set-up link used (side effect: ``used_at``); forget it."""
    link_id = request.session.pop(ENROLMENT_SESSION_KEY, None)
    if link_id is not None:
        MFAEnrolmentLink.objects.filter(pk=link_id, used_at__isnull=True).update(
            used_at=timezone.now()
        )
