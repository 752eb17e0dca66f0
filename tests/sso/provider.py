"""Start the real OpenID Connect provider (tests/sso/provider/server.js) on a free port.

It is panva's ``oidc-provider`` (the certified Node.js implementation) run by Debian's
node. The test writes its accounts to a file the provider re-reads at every sign-in, and
may ask it (through another file) to re-sign the next ID token with other claims.
"""

import json
import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "fiep-office"
CLIENT_SECRET = "test-client-secret-that-is-long-enough-1234"  # noqa: S105
PASSWORD = "provider-password-2026"  # noqa: S105
STAFF_GROUP, ADMIN_GROUP, OTHER_GROUP = "fiep-staff", "fiep-admins", "payroll"


def ensure_installed():
    """node_modules from the committed package-lock.json (npm ci), once."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed for the SSO tests (apt-get install nodejs npm)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROVIDER_DIR,
            check=True,
            timeout=300,
        )


def account(username, *, groups, amr=("pwd", "mfa"), email=None, email_verified=True, **extra):
    return {
        username: {
            "username": username,
            "password": PASSWORD,
            "sub": f"sub-{username}",
            "email": email or f"{username}@state.example",
            "email_verified": email_verified,
            "name": username.title(),
            "groups": list(groups),
            "amr": list(amr),
            **extra,
        }
    }


class RunningProvider:
    def __init__(self, folder, *, redirect_uris, post_logout_redirect_uris):
        ensure_installed()
        self.folder = Path(folder)
        self.users_file = self.folder / "users.json"
        self.tamper_file = self.folder / "tamper.json"
        self.events_file = self.folder / "events.jsonl"
        self.users = {}
        self.set_users()
        config = {
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                    "post_logout_redirect_uris": post_logout_redirect_uris,
                }
            ],
            "users_file": str(self.users_file),
            "tamper_file": str(self.tamper_file),
            "events_file": str(self.events_file),
        }
        config_file = self.folder / "config.json"
        config_file.write_text(json.dumps(config))
        # One retry: a node process that exits while starting (seen once in a CI run,
        # with nothing in its log) should not fail a test; a second failure does, with
        # its exit code and the time waited.
        for attempt in (1, 2):
            self.log = open(self.folder / "provider.log", "w")  # noqa: SIM115
            self.process = subprocess.Popen(
                ["node", "server.js", str(config_file)],
                cwd=PROVIDER_DIR,
                stdout=subprocess.PIPE,
                stderr=self.log,
                text=True,
                env={**os.environ, "NODE_ENV": "test"},
            )
            self.issuer, problem = self._wait_for_issuer()
            if self.issuer:
                return
            self.stop()
            if attempt == 2:
                raise RuntimeError(
                    f"the test OpenID provider did not start ({problem}): "
                    + (self.folder / "provider.log").read_text()[-2000:]
                )

    def _wait_for_issuer(self):
        """``(issuer, None)``, or ``(None, what went wrong)``."""
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        began = time.monotonic()
        while time.monotonic() < began + 60:
            if selector.select(timeout=1):
                line = self.process.stdout.readline()
                if line.startswith("LISTENING "):
                    return line.split()[1], None
                if not line and self.process.poll() is not None:
                    break
            elif self.process.poll() is not None:
                break
        waited = time.monotonic() - began
        code = self.process.poll()
        return None, f"exit code {code} after {waited:.1f} s" if code is not None else (
            f"no address after {waited:.1f} s"
        )

    def reset(self):
        """Forget the previous test's events and any unused tampering."""
        self.events_file.unlink(missing_ok=True)
        self.tamper_file.unlink(missing_ok=True)
        self.set_users()

    def set_users(self, *accounts):
        self.users = {k: v for a in accounts for k, v in a.items()}
        self.users_file.write_text(json.dumps(self.users))

    def change_user(self, username, **changes):
        self.users[username].update(changes)
        self.users_file.write_text(json.dumps(self.users))

    def tamper_next_id_token(self, **claims):
        self.tamper_file.write_text(json.dumps(claims))

    def events(self):
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines()]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.stdout.close()
        self.log.close()


class Browser:
    """The provider side of a browser: its own cookies (the provider's session), following
    redirects until the provider sends the browser back to the application."""

    def __init__(self, app_origin="http://testserver"):
        self.http = requests.Session()
        self.app_origin = app_origin
        self.last_page = ""

    def visit(self, url, *, username=None, password=PASSWORD):
        """Follow ``url`` at the provider; fill its log-in form if it shows one. Returns
        the first URL pointing back at the application."""
        method, data = "GET", None
        for _ in range(20):
            if url.startswith(self.app_origin):
                return url
            response = self.http.request(method, url, data=data, allow_redirects=False, timeout=10)
            method, data = "GET", None
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                continue
            self.last_page = response.text
            if 'name="password"' in response.text and username is not None:
                action = response.text.split('action="', 1)[1].split('"', 1)[0]
                url, method = urljoin(url, action), "POST"
                data = {"username": username, "password": password}
                username = None  # a second log-in form means the password was refused
                continue
            if 'id="op.logoutForm"' in response.text:
                form = response.text.split('id="op.logoutForm"', 1)[1]
                action = form.split('action="', 1)[1].split('"', 1)[0]
                xsrf = form.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
                url, method = urljoin(url, action), "POST"
                data = {"xsrf": xsrf, "logout": "yes"}
                continue
            return None
        raise AssertionError("too many redirects at the provider")


def app_path(url):
    """'http://testserver/a/b?c' -> '/a/b?c' for Django's test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_param(url, name):
    return parse_qs(urlsplit(url).query).get(name, [None])[0]
