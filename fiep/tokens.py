"""The shape of a private link's token, checked before any database look-up.

Every private link (consent, status, survey, self-evaluation, follow-up, calendar feed)
carries a token made by ``secrets.token_urlsafe(32)``: 43 characters of the URL-safe
base64 alphabet. Anything else (a NUL byte, a space, 5,000 characters, another alphabet)
cannot be a token, so it answers 404 without a query: hostile input never reaches
PostgreSQL, where a NUL byte in a text parameter is an error, not a miss.
"""

import re

#: Shortest and longest token accepted. Tokens are 43 characters today; the bounds leave
#: room for a change of length without letting arbitrary input through.
MIN_LENGTH = 16
MAX_LENGTH = 64
PATTERN = rf"[A-Za-z0-9_-]{{{MIN_LENGTH},{MAX_LENGTH}}}"
_TOKEN = re.compile(rf"{PATTERN}\Z")


def is_wellformed(token):
    """True when ``token`` has the length and alphabet of a private-link token."""
    return isinstance(token, str) and _TOKEN.match(token) is not None


class TokenConverter:
    """URL converter ``<token:token>``: a path that is not a well-formed token does not
    match the pattern, so the resolver answers 404 before any view or query runs."""

    regex = PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
