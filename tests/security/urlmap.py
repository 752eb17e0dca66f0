"""Every URL pattern of the project, read from the URL resolver.

``all_patterns()`` recurses into includes and names each pattern ``namespace:name`` (or
``name`` without a namespace). The access matrix and the header test both start here, so
a new URL is covered by both or fails the build.
"""

from django.urls import URLPattern, URLResolver, get_resolver

#: Patterns not in the matrix, and why.
SKIPPED = {
    # Django's admin site: its own login and permission system (is_staff), not our roles;
    # it is tested by Django itself and our admin classes by tests/*/test_admin.py.
    "admin:*": "Django admin site (own is_staff login, Django's own tests)",
    # Only mounted with DEBUG (django.conf.urls.static); never in production.
    "static": "DEBUG-only static file serving",
    # Django's language switch: a POST that only sets the language cookie and redirects,
    # no data and no state on the server.
    "set_language": "Django's language switch (sets a cookie, no server state)",
    # Single sign-on is off in the matrix world (no OIDC_ISSUER): both answer 404 to every
    # role (tests/fiep/test_sso_pages.py); tests/sso/ drives them against a real provider.
    "sso-start": "single sign-on, off here; tests/sso/ and tests/fiep/test_sso_pages.py",
    "sso-callback": "single sign-on, off here; tests/sso/ and tests/fiep/test_sso_pages.py",
}


def _walk(patterns, namespace, prefix):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(filter(None, [namespace, ns])) if ns else namespace
            yield from _walk(entry.url_patterns, full_ns, route)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace else name
            yield full, route, entry


def all_patterns():
    """``[(full_name, route, URLPattern)]`` for every pattern, skipped ones included."""
    return list(_walk(get_resolver().url_patterns, "", ""))


def is_skipped(full_name):
    if full_name in SKIPPED:
        return True
    return any(key.endswith(":*") and full_name.startswith(key[:-1]) for key in SKIPPED)


def covered_patterns():
    """The patterns the matrix must cover: every named pattern that is not skipped."""
    return [(name, route, p) for name, route, p in all_patterns() if not is_skipped(name)]
