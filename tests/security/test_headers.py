"""Security headers on every URL pattern, no state change over GET, production cookies.

Every pattern of the access matrix is requested once by a representative allowed user
(program staff where they may, else the facilitator, else the token holder, else
anonymous) and its response headers are checked.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories

from . import conftest
from .helpers import changed_tables, classify, client_for, request_as, snapshot
from .matrix import MATRIX

ROOT = Path(__file__).resolve().parents[2]

#: Order in which a representative allowed user is chosen.
PREFERENCE = [
    "staff",
    "admin",
    "facilitator_assigned",
    "requester",
    "liaison_same",
    "anonymous",
    "norole",
]

#: Pages that never show a student's data (public information, log-in and password pages,
#: thank-you pages without a token): they may be cached by the browser. Every other page
#: must send ``Cache-Control: no-store``.
CACHEABLE = {
    "branding-css": "the agency's colours, public (versioned URL cached a year)",
    "branding-logo": "the agency's logo, public (versioned URL cached a year)",
    "home": "public program information",
    "faq": "public program information",
    "fiep_requests:materials": "public program information",
    "fiep_requests:procedures": "public program information",
    "fiep_requests:material-download": "printable public form and flyer, no data",
    "login": "log-in form",
    "logout": "logged-out page",
    "password_reset": "form asking for an e-mail address",
    "password_reset_done": "'we sent an e-mail' page",
    "password_reset_complete": "'password changed' page",
    "evaluations:thanks": "thank-you page, no token, no data",
    "evaluations:self-thanks": "thank-you page, no token, no data",
}


def representative(entry):
    for role in PREFERENCE:
        if entry.expect.get(role) == "allow":
            return role
    raise AssertionError("no role may use this URL")


def _csp(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def header_problems(name, response):
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = _csp(csp)
    if not csp:
        problems.append("no Content-Security-Policy")
    if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"unsafe CSP: {csp}")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(directive) != ["'none'"]:
            problems.append(f"CSP {directive} is {directives.get(directive)}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {response.get('X-Frame-Options')}")
    if not response.get("X-Request-ID"):
        problems.append("no X-Request-ID")
    # A redirect has no body to cache; every page with a body must not be stored.
    if name not in CACHEABLE and not 300 <= response.status_code < 400:
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        if "no-store" not in directives:
            problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    return [f"{name}: {p}" for p in problems]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_security_headers(name, world):
    entry = MATRIX[name]
    role = representative(entry)
    with transaction.atomic():
        response = request_as(world, name, entry, role)
        transaction.set_rollback(True)
    assert classify(response, entry.method) == "allow"
    conftest.SUMMARY["header_patterns"].add(name)
    problems = header_problems(name, response)
    assert not problems, "\n".join(problems)


GET_ENTRIES = sorted(name for name, entry in MATRIX.items() if not entry.post_only)


@pytest.mark.parametrize("name", GET_ENTRIES)
def test_get_changes_nothing(name, world):
    """ASVS 3.5.3: a GET by program staff (or the representative user where staff may not
    use the page) changes no table but the access log, sessions and log-in counters."""
    entry = MATRIX[name]
    roles = [r for r in ("staff", "admin") if entry.expect.get(r) == "allow"]
    roles = roles or [representative(entry)]
    for role in roles:
        client = client_for(world, role, entry)
        before = snapshot(entry.get_writes)
        response = request_as(world, name, entry, role, client=client)
        assert classify(response, "GET") == "allow"
        assert changed_tables(before, snapshot(entry.get_writes)) == [], (name, role)


def _production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY="headers-check-" + "0123456789abcdef" * 4,
        ALLOWED_HOSTS="fiep.example.org",
        DJANGO_SETTINGS_MODULE="fiep.settings",
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        f" print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookie_settings():
    values = _production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_HTTPONLY"] is True
    assert values["LANGUAGE_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True


@pytest.mark.django_db
def test_cookies_carry_secure_httponly_samesite_under_production_values(settings):
    """The cookies a log-in actually sets, with the production cookie settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    values = _production_settings()
    cookie_settings = {k: v for k, v in values.items() if "COOKIE" in k}
    user = factories.staff_user()
    with override_settings(**cookie_settings):
        client = Client(enforce_csrf_checks=False)
        client.get(reverse("login"), secure=True)
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": factories.PASSWORD},
            secure=True,
        )
    assert response.status_code == 302
    with override_settings(**cookie_settings):
        switched = client.post(reverse("set_language"), {"language": "es"}, secure=True)
    response.cookies.update(switched.cookies)
    for name in ("sessionid", "csrftoken", "django_language"):
        morsel = response.cookies[name]
        assert morsel["secure"] is True, name
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] in ("Lax", "Strict"), name
