"""Log-in page, single sign-on start and callback, and sign-out (RP-initiated logout)."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import View
from django_otp import login as otp_login
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .backends import oidc_setting
from .discovery import discovery_document, provider_issuer
from .errors import REASONS, SignInRefused
from .middleware import SESSION_RENEW_AT
from .services import provider_name, sso_sign_in_record

logger = logging.getLogger(__name__)

#: The session key holding the ID token, sent back as id_token_hint at sign-out.
SESSION_ID_TOKEN = "sso_id_token"  # noqa: S105 (a session key, not a secret)
BACKEND = "fiep.sso.backends.OIDCBackend"


def refused_page(request, refusal):
    """The page for a refused single sign-on: what happened and what to do, status 403."""
    logger.warning("sso: sign-in refused (%s) %s", refusal.reason, refusal.detail)
    title, advice = REASONS[refusal.reason]
    response = render(
        request,
        "registration/sso_refused.html",
        {"title": title, "advice": advice, "reason": refusal.reason},
        status=403,
    )
    response["Cache-Control"] = "no-store"
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in page, offering "Sign in with <provider>" when single sign-on is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=settings.OIDC_ENABLED,
            sso_provider_name=provider_name(),
            local_login_restricted=not settings.FIEP_LOCAL_LOGIN,
        )
        return context


class _Enabled:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class SignInStartView(_Enabled, OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge (S256)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # The library reads the endpoint here; ours comes from discovery, in get().
        View.__init__(self, **kwargs)

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except SignInRefused as refusal:
            return refused_page(request, refusal)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        params = {}
        if settings.OIDC_ACR_VALUES:
            params["acr_values"] = settings.OIDC_ACR_VALUES
        if request.LANGUAGE_CODE:
            params["ui_locales"] = request.LANGUAGE_CODE
        return params


@method_decorator(never_cache, name="dispatch")
class SignInCallbackView(_Enabled, OIDCAuthenticationCallbackView):
    """The provider's answer: checked, then logged in, or a clear page saying why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        try:
            issuer = request.GET.get("iss")
            if issuer is not None and issuer != provider_issuer():
                # RFC 9207: the answer names another provider (a mix-up attack).
                raise SignInRefused("token", "iss parameter mismatch")
            return super().get(request)
        except SuspiciousOperation as exc:
            # The state is not one this browser started, or was used already.
            return refused_page(request, SignInRefused("state", str(exc)))
        except SignInRefused as refusal:
            return refused_page(request, refusal)

    def login_failure(self):
        if self.request.GET.get("error"):
            # The provider's error code (RFC 6749 4.1.2.1), letters and "_" only in the log.
            error = "".join(c for c in self.request.GET["error"][:60] if c.isalpha() or c == "_")
            return refused_page(self.request, SignInRefused("cancelled", error))
        return refused_page(self.request, SignInRefused("state", "no sign-in in this session"))

    def login_success(self):
        request, user = self.request, self.user
        next_url = self.success_url
        auth.login(request, user, backend=BACKEND)
        request.session[SESSION_ID_TOKEN] = request.sso_id_token
        if settings.OIDC_SESSION_MAX_AGE:
            request.session[SESSION_RENEW_AT] = time.time() + settings.OIDC_SESSION_MAX_AGE
        device = sso_sign_in_record(user=user, request=request, claims=request.sso_claims)
        if device is not None:
            otp_login(request, device)
        return HttpResponseRedirect(next_url)


class SignOutView(auth_views.LogoutView):
    """Ends the local session; after a single sign-on, also the provider's (RP-initiated
    logout: the browser goes to its end_session_endpoint with the ID token as a hint)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if not (id_token and settings.OIDC_ENABLED):
            return response
        try:
            end_session = discovery_document().get("end_session_endpoint")
        except SignInRefused:
            logger.warning("sso: provider unreachable at sign-out; local session ended")
            return response
        if not end_session:
            return response
        params = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(
                    resolve_url(settings.LOGOUT_REDIRECT_URL)
                ),
            }
        )
        return HttpResponseRedirect(f"{end_session}{'&' if '?' in end_session else '?'}{params}")
