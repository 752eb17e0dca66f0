"""The client's address behind a reverse proxy (``fiep.services.client_ip``).

Without ``FIEP_TRUSTED_PROXIES`` the address is REMOTE_ADDR and X-Forwarded-For is never
read (a client can write that header). With it, X-Forwarded-For is read only when the
connection comes from a trusted proxy, right to left, up to the first hop that is not a
trusted proxy. Near misses: a forged left part, a request that bypasses the proxy, a
hostile or malformed hop, IPv4 against IPv6 networks, a bad setting.
"""

import importlib
import os
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse

from fiep.services import client_ip
from fiep_requests.models import FacilitationRequest
from tests.fiep_requests.conftest import form_data

PROXY = ["10.0.0.0/8", "::1/128"]


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"
    assert client_ip(None) is None


@override_settings(FIEP_TRUSTED_PROXIES=PROXY)
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # the proxy appended the client's address
        ("10.0.0.1", "203.0.113.5", "203.0.113.5"),
        # the client forged a left part: the proxy's own hop (right-most) wins
        ("10.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        # two trusted proxies in a row
        ("10.0.0.1", "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # the request did not come through the proxy: its header is the client's own
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),
        # no header, an empty one, only proxies: the proxy's address (one shared count)
        ("10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.1"),
        # a hop that is not an address is not guessed past
        ("10.0.0.1", "203.0.113.5, <script>", "10.0.0.1"),
        ("10.0.0.1", "203.0.113.5, unknown", "10.0.0.1"),
        ("10.0.0.1", "\x00\xff" * 40, "10.0.0.1"),
        # ports and brackets
        ("10.0.0.1", "203.0.113.5:51234", "203.0.113.5"),
        ("::1", "[2001:db8::1]:443", "2001:db8::1"),
        ("::1", "2001:db8::1", "2001:db8::1"),
        # an IPv4 client is never "inside" an IPv6 network, nor the other way round
        ("::1", "0.0.0.1", "0.0.0.1"),
    ],
)
def test_behind_trusted_proxies(remote, forwarded, expected):
    assert client_ip(_request(remote, forwarded)) == expected


def _settings_with(value):
    import fiep.settings

    with mock.patch.dict(os.environ, {"FIEP_TRUSTED_PROXIES": value}):
        try:
            return importlib.reload(fiep.settings)
        finally:
            os.environ.pop("FIEP_TRUSTED_PROXIES", None)


def test_the_setting_is_parsed_and_checked():
    import fiep.settings

    try:
        assert _settings_with("10.0.0.0/8, 192.168.1.5 ,::1").FIEP_TRUSTED_PROXIES == [
            "10.0.0.0/8",
            "192.168.1.5/32",
            "::1/128",
        ]
        with pytest.raises(ImproperlyConfigured, match="FIEP_TRUSTED_PROXIES"):
            _settings_with("10.0.0.300")
    finally:
        importlib.reload(fiep.settings)


@pytest.mark.django_db
@override_settings(FIEP_TRUSTED_PROXIES=PROXY, FIEP_RATE_LIMIT_PER_HOUR=1)
def test_two_families_behind_one_proxy_have_their_own_rate_limit(client):
    """The public form's limit counts per family, not per proxy: one family's second
    request in the hour is refused, another family's first goes through."""
    from tests import factories

    cache.clear()
    district = factories.DistrictFactory()
    url = reverse("fiep_requests:new")

    def post(family):
        return client.post(
            url, form_data(district), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=family
        )

    assert post("203.0.113.5").status_code == 302
    assert post("203.0.113.5").status_code == 429
    assert post("203.0.113.6").status_code == 302
    assert FacilitationRequest.objects.count() == 2
    cache.clear()
