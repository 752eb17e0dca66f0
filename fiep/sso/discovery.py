"""The provider's discovery document (OpenID Connect Discovery 1.0), fetched and cached."""

import threading
import time

import requests
from django.conf import settings

from .errors import SignInRefused

#: How long a fetched discovery document is used before it is fetched again (seconds).
CACHE_SECONDS = 3600
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")

_lock = threading.Lock()
_cache = {}


def discovery_document(issuer=None):
    """The discovery document of ``issuer`` (default: ``OIDC_ISSUER``), cached per process.

    Refuses a document whose ``issuer`` is not the configured one (Discovery 4.3; a
    trailing slash in the setting is forgiven, the document's spelling is then used for
    every check) or that lacks an endpoint the sign-in needs. Raises
    SignInRefused("provider") when the provider cannot be reached.
    """
    issuer = issuer or settings.OIDC_ISSUER
    now = time.monotonic()
    with _lock:
        cached = _cache.get(issuer)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    try:
        response = requests.get(
            f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused("provider", f"discovery document: {exc}") from exc
    if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise SignInRefused("provider", "discovery document names another issuer")
    missing = [key for key in REQUIRED if not document.get(key)]
    if missing:
        raise SignInRefused("provider", f"discovery document lacks {', '.join(missing)}")
    with _lock:
        _cache[issuer] = (now, document)
    return document


def discovery_forget():
    """Forget every cached document (tests, or after the provider changed its keys)."""
    with _lock:
        _cache.clear()


def provider_issuer():
    """The provider's issuer exactly as its discovery document spells it (the ``iss`` of
    its tokens and answers)."""
    return discovery_document()["issuer"]
