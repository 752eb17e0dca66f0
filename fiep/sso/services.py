"""Accounts and roles for a verified single sign-on. Keyword-only; side effects listed."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AccessAction, ExternalIdentity, ProviderVerifiedDevice, Role
from ..services import access_log_record
from .errors import SignInRefused

logger = logging.getLogger(__name__)

#: The roles single sign-on decides; other roles (facilitator, liaison) are left alone.
MANAGED_ROLES = (Role.OFFICE_STAFF, Role.ADMINISTRATOR)


def provider_name():
    """The provider's name for people: OIDC_PROVIDER_NAME, or "your state account"."""
    return settings.OIDC_PROVIDER_NAME or _("your state account")


def _claim_values(claims, name):
    """The claim's values as a set of strings; a dotted name reaches into an object
    (Keycloak's ``realm_access.roles``) when no claim has the dotted name itself."""
    value = claims.get(name)
    if value is None and "." in name:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return set()


def roles_from_claims(claims):
    """The managed roles the role claim gives (a set of Role)."""
    values = _claim_values(claims, settings.OIDC_ROLE_CLAIM)
    roles = set()
    if values & set(settings.OIDC_ROLE_OFFICE_STAFF):
        roles.add(Role.OFFICE_STAFF)
    if values & set(settings.OIDC_ROLE_ADMINISTRATOR):
        roles.add(Role.ADMINISTRATOR)
    return roles


def mfa_assertion(claims):
    """How the provider says it verified the person: (multi_factor, description).

    Multi-factor when ``amr`` holds one of OIDC_MFA_AMR (RFC 8176: mfa, otp, hwk) or
    ``acr`` is one of OIDC_MFA_ACR.
    """
    amr = sorted(_claim_values(claims, "amr"))
    acr = claims.get("acr") if isinstance(claims.get("acr"), str) else ""
    multi = bool(set(amr) & set(settings.OIDC_MFA_AMR)) or (
        bool(acr) and acr in settings.OIDC_MFA_ACR
    )
    description = f"amr={','.join(amr) or '-'} acr={acr or '-'}"
    return multi, description


def _email_verified(claims):
    value = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _username_for(claims):
    User = get_user_model()
    base = (claims.get("preferred_username") or claims.get("email") or "").strip()[:140]
    base = "".join(c for c in base if c.isalnum() or c in "@.+-_") or "sso-user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _account_for(*, issuer, subject, claims, roles):
    """The user for (issuer, subject): by the recorded link, else by verified e-mail, else
    newly created when OIDC_CREATE_USERS is on. Records a new link."""
    User = get_user_model()
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        return identity
    email = (claims.get("email") or "").strip()
    if not email:
        raise SignInRefused("no_account", "no e-mail claim")
    if not _email_verified(claims):
        raise SignInRefused("email_unverified")
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise SignInRefused("ambiguous")
    if matches:
        user = matches[0]
        if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise SignInRefused("conflict", f"user id {user.pk} is linked to another subject")
    elif settings.OIDC_CREATE_USERS and roles:
        user = User(
            username=_username_for(claims),
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save()
        logger.info("sso: created user id %s for a new identity", user.pk)
    elif settings.OIDC_CREATE_USERS:
        raise SignInRefused("no_role", "no account is created without a role")
    else:
        raise SignInRefused("no_account")
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, email_at_link=email
            )
    except IntegrityError:
        # A simultaneous first sign-in of the same identity linked it a moment ago: use
        # that link if it is to the same account (the unique constraints decide).
        identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
        if identity is None or identity.user_id != user.pk:
            raise SignInRefused("conflict", "simultaneous link to another account") from None
        return identity
    logger.info("sso: linked user id %s to an identity of %s", user.pk, issuer)
    return identity


def roles_sync(*, user, roles):
    """Make the user's Office staff / Administrator groups exactly ``roles``.

    Side effects: group memberships added or removed (other groups untouched); a log line
    per change. Returns (added, removed) as sets of Role.
    """
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in MANAGED_ROLES}
    current = {role for role in MANAGED_ROLES if user.groups.filter(pk=groups[role].pk).exists()}
    added, removed = roles - current, current - roles
    for role in added:
        user.groups.add(groups[role])
    for role in removed:
        user.groups.remove(groups[role])
    if added or removed:
        logger.info(
            "sso: roles of user id %s: added %s, removed %s",
            user.pk,
            sorted(r.value for r in added) or "-",
            sorted(r.value for r in removed) or "-",
        )
    return added, removed


def sso_account_resolve(*, issuer, claims):
    """The active user a verified sign-in (``claims`` of the ID token and userinfo) is for.

    Side effects, committed even when the sign-in is then refused: a new identity link
    (ExternalIdentity) or a new account (OIDC_CREATE_USERS), the user's Office staff and
    Administrator groups set from the role claim, the link's last sign-in time. Raises
    SignInRefused (no account, unverified e-mail, inactive account, no role, ...).
    """
    subject = claims.get("sub")
    if not subject:
        raise SignInRefused("token", "no sub claim")
    roles = roles_from_claims(claims)
    with transaction.atomic():
        identity = _account_for(issuer=issuer, subject=str(subject), claims=claims, roles=roles)
        user = identity.user
        if not user.is_active:
            raise SignInRefused("inactive", f"user id {user.pk}")
        roles_sync(user=user, roles=roles)
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["last_sign_in_at"])
    if not roles:
        raise SignInRefused("no_role", f"user id {user.pk}")
    return user


def sso_sign_in_record(*, user, request, claims):
    """Record in the access log how a single sign-on verified the person.

    Side effects: one AccessLog row (action "sign_in"); when the provider asserted a
    second factor, the user's ProviderVerifiedDevice is created if missing. Returns that
    device, or None when the local two-step must follow.
    """
    multi, description = mfa_assertion(claims)
    how = f"single sign-on ({settings.OIDC_PROVIDER_NAME or settings.OIDC_ISSUER})"
    if multi:
        purpose = f"{how}; second factor at the provider: {description}"
        device, _created = ProviderVerifiedDevice.objects.get_or_create(
            user=user, defaults={"name": "identity provider", "confirmed": True}
        )
    else:
        purpose = f"{how}; no second factor at the provider ({description}): local two-step"
        device = None
    access_log_record(
        user=user,
        case_reference="",
        purpose=purpose,
        action=AccessAction.SIGN_IN,
        request=request,
    )
    return device
