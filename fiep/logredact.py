"""Private-link tokens never reach a log line.

The status, consent, survey, self-evaluation and follow-up links, the calendar feed, the
password-reset link and the two-step set-up link carry their secret in the URL path. A
path segment that looks like such a token (16 or more URL-safe characters; references
like ``FIEP-2026-0001``, ids and words are shorter) is written as ``[redacted]`` by the
log filter below, attached to every handler of the app's logging, and by the gunicorn
access-log class in ``fiep/gunicorn_conf.py``.
"""

import logging
import re

#: A path segment (after ``/``) of 16+ URL-safe characters, up to ``/ . ? # space "``.
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{16,}(?=[/.?#\s\"']|$)")
REDACTED = "[redacted]"


def redact(text):
    """``text`` with every token-like path segment replaced by ``[redacted]``."""
    return TOKEN_SEGMENT.sub(REDACTED, text) if isinstance(text, str) else text


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message (after %-formatting) without token path segments."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a bad format string is logging's own problem)
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
