"""Authentication backends: OpenID Connect sign-in, and local passwords with a policy."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..models import Role
from .discovery import discovery_document, provider_issuer
from .errors import SignInRefused
from .services import sso_account_resolve

logger = logging.getLogger(__name__)

#: mozilla-django-oidc setting -> the discovery document's key.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
#: mozilla-django-oidc setting -> ours (fiep/settings.py).
RENAMED = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "OIDC_SCOPES",
    "OIDC_RP_SIGN_ALGO": "OIDC_SIGN_ALGO",
}
#: Fixed choices: PKCE (S256) and nonce always on; tokens kept by our own views.
FIXED = {
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_USE_NONCE": True,
    "OIDC_VERIFY_SSL": True,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_VERIFY_KID": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso-callback",
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_PROXY": None,
}
#: Claims that only the ID token may carry (userinfo must not override them).
ID_TOKEN_ONLY = {
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "amr",
    "acr",
    "azp",
    "auth_time",
}


def oidc_setting(attr, *default):
    """A mozilla-django-oidc setting, answered from our settings and the discovery document."""
    if attr in FIXED:
        return FIXED[attr]
    if attr in DISCOVERED:
        return discovery_document().get(DISCOVERED[attr]) or (default[0] if default else None)
    if attr == "OIDC_TIMEOUT":
        return settings.OIDC_TIMEOUT
    if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
        return settings.OIDC_TOKEN_AUTH_METHOD == "client_secret_basic"  # noqa: S105
    if attr == "OIDC_CREATE_USER":
        return settings.OIDC_CREATE_USERS
    return getattr(settings, RENAMED.get(attr, attr), *default)


class OIDCBackend(OIDCAuthenticationBackend):
    """Signs a person in from the callback of the authorization code flow.

    The library exchanges the code (with the PKCE verifier), fetches the JWKS and checks
    the ID token's signature and nonce. Here, in addition: only the configured algorithm,
    the issuer, the audience (and ``azp`` when there are several), the expiry and issue
    time are checked, userinfo must be about the same subject, and the account is found
    or refused by ``services.sso_account_resolve``. Every refusal raises SignInRefused.
    Only the callback view (which passes ``nonce``) reaches it: a password log-in never does.
    """

    def __init__(self, *args, **kwargs):
        # Endpoints are read lazily (discovery) instead of in the library's __init__:
        # Django instantiates every backend on each log-in and each request's get_user.
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            # invalid_grant: the code was already used, has expired or belongs to another
            # flow (a replayed callback); the provider refuses it, so do we, clearly.
            reason = "state" if status == 400 else "provider"
            raise SignInRefused(reason, f"HTTP {status}") from exc
        except requests.RequestException as exc:
            raise SignInRefused("provider", type(exc).__name__) from exc
        except SuspiciousOperation as exc:
            raise SignInRefused("token", str(exc)) from exc

    def verify_token(self, token, **kwargs):
        """The ID token's claims, after every check of OpenID Connect Core 3.1.3.7."""
        if not token:
            raise SignInRefused("token", "no id_token in the token response")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SignInRefused("token", "malformed id_token") from exc
        if header.get("alg") != settings.OIDC_SIGN_ALGO:
            raise SignInRefused("token", f"alg {header.get('alg')!r} is not allowed")
        key = self.retrieve_matching_jwk(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[settings.OIDC_SIGN_ALGO],
                audience=settings.OIDC_CLIENT_ID,
                issuer=provider_issuer(),
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused("audience") from exc
        except jwt.PyJWTError as exc:
            raise SignInRefused("token", type(exc).__name__) from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
            raise SignInRefused("audience", "several audiences and azp is not this client")
        expected_nonce = kwargs.get("nonce")
        if not expected_nonce or claims.get("nonce") != expected_nonce:
            raise SignInRefused("nonce")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            raise SignInRefused("token", "signed userinfo responses are not supported")
        userinfo = response.json()
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            # OpenID Connect Core 5.3.2: a userinfo answer about somebody else is an attack.
            raise SignInRefused("token", "userinfo sub differs from the id_token's")
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        claims = {k: v for k, v in userinfo.items() if k not in ID_TOKEN_ONLY}
        claims = {**payload, **claims}
        user = sso_account_resolve(issuer=provider_issuer(), claims=claims)
        # The callback view logs the sign-in and keeps the ID token for the sign-out.
        self.request.sso_claims = claims
        self.request.sso_id_token = id_token
        return user

    def get_user(self, user_id):
        # A session made by single sign-on ends when single sign-on is switched off.
        if not settings.OIDC_ENABLED:
            return None
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def local_login_allowed(user):
    """Whether ``user`` may log in with a local password (FIEP_LOCAL_LOGIN).

    With FIEP_LOCAL_LOGIN false, office staff, administrators and Django-admin accounts
    must use single sign-on; facilitators and district liaisons keep their password (and
    two-step log-in). FIEP_BREAK_GLASS_USERNAME names the one account that keeps it.
    """
    if settings.FIEP_LOCAL_LOGIN:
        return True
    if settings.FIEP_BREAK_GLASS_USERNAME and user.username == settings.FIEP_BREAK_GLASS_USERNAME:
        return True
    if user.is_superuser or user.is_staff:
        return False
    names = set(user.groups.values_list("name", flat=True))
    return not names & {Role.OFFICE_STAFF.value, Role.ADMINISTRATOR.value}


class LocalPasswordBackend(ModelBackend):
    """Django's password back end, refusing accounts that must use single sign-on.

    A refused account gets the same "wrong username or password" answer (and counts as a
    failure for the lockout) as a wrong password, so the form reveals nothing; the log-in
    page says who signs in with the provider. A session made with a password before local
    log-in was switched off ends at its next request.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and local_login_allowed(user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if (
            user is not None
            and not settings.FIEP_LOCAL_LOGIN
            and user.username == settings.FIEP_BREAK_GLASS_USERNAME
        ):
            logger.warning(
                "break-glass: local log-in of the break-glass account user id %s", user.pk
            )
        return user
