"""What a person has outside the site during the walk of bin/prod-check: an
authenticator app (TOTP codes from the key the set-up page shows), a mailbox (the .eml
files the SMTP server kept) and a plain HTTP client (for /health/ and the proxy checks).
"""

import base64
import email
import hashlib
import hmac
import json
import re
import struct
import time
import urllib.error
import urllib.request
from email import policy
from pathlib import Path

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
MAIL_WAIT_SECONDS = 90


class WalkFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise WalkFailed(message)


# --- two-step codes: RFC 6238 (TOTP, SHA-1, 30 s, 6 digits), as an authenticator app -----


def totp(secret_base32, step):
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class Authenticator:
    """The phone of each person: the key they enrolled and the last code they used
    (a code is accepted once; the next log-in needs the next 30-second code)."""

    def __init__(self):
        self.secrets = {}
        self.last_step = {}

    def code(self, username):
        now = int(time.time()) // 30
        step = max(now, self.last_step.get(username, -1) + 1)
        if step > now + 1:  # the server accepts one step of drift; wait for the clock
            time.sleep((step - 1) * 30 - time.time() + 0.5)
        self.last_step[username] = step
        return totp(self.secrets[username], step)


# --- e-mail the SMTP server kept -------------------------------------------------------------


class Mailbox:
    def __init__(self, folder):
        self.folder = Path(folder)

    def messages(self):
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            found.append(
                {
                    "file": path.name,
                    "to": message["X-Envelope-To"] or "",
                    "subject": str(message["Subject"] or ""),
                    "text": body.get_content() if body is not None else "",
                    "message": message,
                }
            )
        return found

    def wait_for_link(self, *, to, pattern, what):
        """The first link matching ``pattern`` in a message to ``to``; waits for it."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while time.monotonic() < deadline:
            for message in self.messages():
                if to in message["to"]:
                    match = re.search(pattern, message["text"])
                    if match:
                        return match.group(0), message
            time.sleep(0.5)
        seen = [f"{m['file']} to {m['to']}: {m['subject']}" for m in self.messages()]
        raise WalkFailed(
            f"no e-mail to {to} with {what} reached the SMTP server within "
            f"{MAIL_WAIT_SECONDS} s (messages received: {seen or 'none'}); is the SMTP server "
            "running and the Celery worker sending the outbox?"
        )


# --- the site --------------------------------------------------------------------------------


def health(base_url):
    request = urllib.request.Request(f"{base_url}/health/", headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:
        raise WalkFailed(f"/health/ did not answer: {exc}") from exc
    check(status == 200, f"/health/ answered {status}: {body[:300]!r}")
    data = json.loads(body)
    check(data.get("status") == "ok", f"/health/ says {data}")
    return data


def fetch_status(url, headers=None):
    """Status code and Location of one request, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=15) as r:
            return r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")
