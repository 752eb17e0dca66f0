"""A request id for every request: in the response header, the logs and error pages."""

import logging
import re
import threading
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.i18n import set_language

_local = threading.local()
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id():
    return getattr(_local, "request_id", "")


class RequestIdMiddleware:
    """Takes a sane X-Request-ID from the proxy or makes one; echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        _local.request_id = request.request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = ""
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


class PermissionDeniedLogFilter(logging.Filter):
    """A 403 is an answer, not a fault: log it at INFO, one line, without the traceback
    Django attaches (``django.request`` logs PermissionDenied at WARNING with exc_info).
    Other statuses pass unchanged."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.levelno = logging.INFO
            record.levelname = logging.getLevelName(logging.INFO)
            record.exc_info = None
            record.exc_text = None
        return True


class MFARequiredMiddleware:
    """Sends a logged-in user of a role that needs two-step log-in to the code page until
    they have entered a code this session. Public pages stay open.
    """

    OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .mfa import mfa_required_for  # noqa: PLC0415 - LOGGING imports this module before the app registry is ready

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN_PREFIXES)
            and not user.is_verified()
            and mfa_required_for(user)
        ):
            return redirect(reverse("mfa-verify") + "?" + urlencode({"next": request.path}))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Logs out a user with a staff role after FIEP_STAFF_IDLE_TIMEOUT seconds without a
    request (sessions of people who see student records must not stay open unattended).

    The role check shares django-rules' per-request group cache with the view's own
    permission checks, and the session is refreshed on every request of a role user, so
    the number of queries a page makes does not depend on when it was last visited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .rules import has_any_role  # noqa: PLC0415 - LOGGING imports this module before the app registry is ready

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and has_any_role(user):
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.FIEP_STAFF_IDLE_TIMEOUT:
                logout(request)
                return redirect(reverse("login") + "?" + urlencode({"next": request.path}))
            request.session["last_activity"] = now
        return self.get_response(request)


class PrivateLinkReferrerMiddleware:
    """``Referrer-Policy: no-referrer`` on every page reached through a private link (a
    URL pattern with a ``token``): the token is in the address, and a link followed from
    the page, or a resource it loads, must not carry it to anyone in a Referer header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and "token" in match.kwargs:
            response["Referrer-Policy"] = "no-referrer"
        return response


class PrivateLinkOriginMiddleware:
    """Lets the forms of private-link pages pass Django's CSRF origin check.

    Those pages send ``Referrer-Policy: no-referrer`` (above), and with that policy a
    browser submits their forms with ``Origin: null``, which Django's CSRF middleware
    refuses. For a view reached through a private link (a URL pattern with a ``token``),
    and for the language switch those pages carry, this middleware, placed just before
    ``CsrfViewMiddleware``, reads ``Origin: null`` as the site's own origin. The CSRF
    token check itself still applies, and the CSRF cookie is ``SameSite=Lax``, so a
    cross-site form still fails; any other ``Origin`` and any other page are left to
    Django as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        private = "token" in view_kwargs or view_func is set_language
        if private and request.META.get("HTTP_ORIGIN") == "null":
            scheme = "https" if request.is_secure() else "http"
            request.META["HTTP_ORIGIN"] = f"{scheme}://{request.get_host()}"
        return None


class HostileInputMiddleware:
    """Refuses a NUL byte in the path (404) or in a query or form value (400) before any
    view runs. PostgreSQL cannot store or compare text with a NUL byte and answers with an
    error; no honest link or form ever carries one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if _has_nul(request.GET):
            raise BadRequest("NUL byte in the query")
        # Form values only; uploaded files may hold any bytes.
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("NUL byte in the form")
        return self.get_response(request)


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


#: Seconds a visitor is asked to wait when the database is unreachable.
RETRY_AFTER_SECONDS = 60


def database_unavailable(request):
    """The 503 page for "the database cannot be reached": rendered without the database
    (no context processors, no session, no user), in the visitor's language (cookie or
    Accept-Language), with Retry-After."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "503.html",
            {
                "language": language,
                "request_id": getattr(request, "request_id", ""),
                "FIEP_OFFICE_PHONE": settings.FIEP_OFFICE_PHONE,
                "FIEP_OFFICE_EMAIL": settings.FIEP_OFFICE_EMAIL,
            },
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


def is_database_unavailable(exc):
    """True for the errors of an unreachable database (stopped, restarting, network)."""
    return isinstance(exc, (OperationalError, InterfaceError))


class DatabaseUnavailableMiddleware:
    """A view that could not reach the database answers 503 with a plain page saying
    nothing was saved (not the generic 500 page). Errors raised in other middleware reach
    ``fiep.views.error_500``, which answers the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logging.getLogger("fiep.database").error(
                "database unavailable: %s: %s", type(exception).__name__, exception
            )
            return database_unavailable(request)
        return None
