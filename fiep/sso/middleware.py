"""A single sign-on session lasts at most OIDC_SESSION_MAX_AGE seconds."""

import time

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

#: Session key: when (epoch seconds) this single sign-on session must be renewed.
SESSION_RENEW_AT = "sso_renew_at"


class SingleSignOnSessionLimitMiddleware:
    """Ends a single sign-on session OIDC_SESSION_MAX_AGE seconds after the sign-in, at
    the next page load (GET: a form being sent is never lost), so that a person switched
    off at the identity provider loses access within that time. Signing in again is one
    click while the provider's own session lasts. Sessions without single sign-on, and
    every request when it is off, pass untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        renew_at = request.session.get(SESSION_RENEW_AT) if hasattr(request, "session") else None
        if (
            renew_at is not None
            and request.method == "GET"
            and time.time() > renew_at
            and request.user.is_authenticated
        ):
            logout(request)
            return redirect(reverse("login") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
