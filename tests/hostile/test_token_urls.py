"""Every private link rejects a token of the wrong shape before touching the database
(404, zero queries), and never answers 5xx whatever the path holds."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import assume, given
from hypothesis import strategies as st

from fiep.branding import current_branding
from fiep.tokens import is_wellformed
from tests import factories

from .strategies import hostile_text

#: Every URL whose path carries a private-link token, as a format string.
TOKEN_URLS = [
    "/requests/status/{}/",
    "/requests/consent/{}/",
    "/evaluations/survey/{}/",
    "/evaluations/self/{}/",
    "/evaluations/follow-up/{}/",
    "/meetings/feed/{}.ics",
    "/meetings/dates/answer/{}/",
    "/accounts/mfa/enrol/{}/",
]

pytestmark = pytest.mark.django_db


def test_every_token_route_is_listed():
    """A new private link must be added to TOKEN_URLS (and so to these tests)."""
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    routes = {r for r in walk(get_resolver().url_patterns) if "token" in r and "reset" not in r}
    listed = {u.replace("{}", "<token:token>").lstrip("/") for u in TOKEN_URLS}
    assert routes == listed


@given(
    token=hostile_text, which=st.sampled_from(TOKEN_URLS), method=st.sampled_from(["get", "post"])
)
def test_malformed_token_is_404_before_any_query(client, token, which, method):
    assume(not is_wellformed(token))
    url = which.format(quote(token, safe=""))
    current_branding()  # the layout's logo and colours come from the cache, warmed here
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    assert response.status_code in (404, 405)
    assert len(queries) == 0


@given(token=hostile_text, which=st.sampled_from(TOKEN_URLS))
def test_any_path_answers_without_server_error(client, token, which):
    # Unquoted too: slashes, percent signs and spaces as a browser would send them.
    response = client.get(which.format(token))
    assert response.status_code < 500


@given(uid=hostile_text, token=hostile_text)
def test_password_reset_link_never_fails(client, uid, token):
    response = client.get(f"/accounts/reset/{quote(uid, safe='')}/{quote(token, safe='')}/")
    assert response.status_code < 500


def test_a_token_one_character_off_is_404(client):
    case = factories.FacilitationRequestFactory()
    token = case.status_token
    assert client.get(f"/requests/status/{token}/").status_code == 200
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/requests/status/{near}/").status_code == 404
    assert client.get(f"/requests/status/{token}%00/").status_code == 404
    assert client.get(f"/requests/status/{token[:-1]}/").status_code == 404


def test_nul_byte_in_a_query_or_form_value_is_400(client):
    assert client.get("/requests/new/?lang=%00").status_code == 400
    response = client.post("/requests/new/", {"student_first_name": "Ana\x00"})
    assert response.status_code == 400
    assert client.get("/requests/new/?lang=es").status_code == 200
