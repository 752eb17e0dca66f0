"""The shape check every private link passes first (``fiep.tokens``), at its bounds, and
the status and consent look-ups behind it.

``is_wellformed`` is the gate before any query: the bounds 16 and 64 and the alphabet are
tried one character either side, so a bound moved by one (what ``bench/mutation.sh
links`` tries) fails here. Imported history has tokens too (every row gets one), but
its links never open.
"""

import pytest
from django.urls import reverse

from fiep.tokens import MAX_LENGTH, MIN_LENGTH, TokenConverter, is_wellformed
from fiep_requests.models import RequestStatus
from tests import factories


def test_token_bounds_are_16_and_64_characters():
    assert (MIN_LENGTH, MAX_LENGTH) == (16, 64)
    assert not is_wellformed("a" * 15)
    assert is_wellformed("a" * 16)
    assert is_wellformed("a" * 43)
    assert is_wellformed("a" * 64)
    assert not is_wellformed("a" * 65)


@pytest.mark.parametrize(
    "token",
    [
        "A-b_9" * 4,
        "Zz09-_" * 7,
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
    ],
)
def test_url_safe_base64_tokens_are_well_formed(token):
    assert is_wellformed(token)


@pytest.mark.parametrize(
    "token",
    [
        "a" * 42 + "\n",  # a trailing newline ($ would let it through; \Z does not)
        "\n" + "a" * 42,
        "a" * 21 + "+" + "a" * 21,  # standard base64, not URL-safe
        "a" * 21 + "/" + "a" * 21,
        "a" * 42 + "=",
        "a" * 21 + " " + "a" * 21,
        "a" * 21 + "\x00" + "a" * 21,
        "a" * 21 + "é" + "a" * 21,
        "",
    ],
)
def test_other_characters_are_refused(token):
    assert not is_wellformed(token)


@pytest.mark.parametrize("value", [None, 1234567890123456789, b"a" * 43, ["a" * 43]])
def test_only_strings_are_tokens(value):
    assert not is_wellformed(value)


def test_the_url_converter_matches_exactly_the_well_formed_tokens():
    converter = TokenConverter()
    assert converter.to_python("a" * 43) == "a" * 43
    assert converter.to_url("a" * 43) == "a" * 43
    assert reverse("fiep_requests:status", args=["a" * 16]).endswith("/" + "a" * 16 + "/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["fiep_requests:status", "fiep_requests:consent"])
def test_links_of_imported_history_never_open(client, name):
    """A program-history row has tokens like any case; its links answer 404, while the
    same kind of link of a case entered here opens."""
    imported = factories.FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT, imported=True
    )
    live = factories.FacilitationRequestFactory(status=RequestStatus.AWAITING_CONSENT)
    field = "status_token" if name.endswith("status") else "consent_token"
    assert client.get(reverse(name, args=[getattr(imported, field)])).status_code == 404
    assert client.post(reverse(name, args=[getattr(imported, field)])).status_code == 404
    assert client.get(reverse(name, args=[getattr(live, field)])).status_code == 200
