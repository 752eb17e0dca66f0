"""A private production-shaped stack for fault tests: its own PostgreSQL cluster, Redis
and SMTP server on free ports in a temporary folder (never the machine's shared ones),
gunicorn, a Celery worker and Celery beat. Each part can be stopped, hung or killed.
"""

import asyncio
import contextlib
import email
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout, what, interval=0.25):
    """Poll ``predicate`` until it returns a true value; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as exc:  # noqa: BLE001  (a part restarting: keep polling)
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


# --- PostgreSQL --------------------------------------------------------------------------


class Postgres:
    """A throw-away cluster (initdb + pg_ctl). As root it runs as user postgres."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="fiep-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args, check=True):
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE fiep")

    def start(self):
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, name="fiep"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def query(self, sql, params=()):
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def destroy(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- Redis -------------------------------------------------------------------------------


class Redis:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=open(self.folder / "redis.log", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout=20, what="redis-server to answer")

    def _answers(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"


# --- SMTP --------------------------------------------------------------------------------


class MailSink:
    """An aiosmtpd handler that keeps every message it was given, by Message-ID. Modes:
    ``rcpt_delay`` (a slow server: the reply to RCPT comes late, nothing accepted yet) and
    ``data_delay`` (the message is received, the final reply comes late)."""

    def __init__(self):
        self.received = []
        self.rcpt_delay = 0.0
        self.data_delay = 0.0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content)
        with self.lock:
            # Kept as soon as the data is in: if the client is gone before the reply,
            # this is the copy a real server might deliver anyway.
            self.received.append(parsed["Message-ID"])
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 Message accepted"

    def message_ids(self):
        with self.lock:
            return list(self.received)


class Smtp:
    def __init__(self):
        self.port = free_port()
        self.sink = MailSink()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- the application ---------------------------------------------------------------------


class App:
    """gunicorn, a Celery worker and Celery beat on the private services."""

    def __init__(self, folder, env):
        self.folder = folder
        self.env = env
        self.port = free_port()
        self.processes = {}
        self.responses = []  # (method, path, status, seconds) of every request made

    def manage(self, *args, timeout=300):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result.stdout

    def _spawn(self, name, args):
        log = open(self.folder / f"{name}.log", "a")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, children too
        )

    def start_web(self):
        self._spawn(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "fiep.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
        )
        wait_until(
            lambda: self.get("/faq/", record=False)[0] == 200, timeout=60, what="gunicorn to answer"
        )

    def start_worker(self):
        self._spawn(
            "worker",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "fiep",
                "worker",
                "-c",
                "2",
                "-l",
                "INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"faults-{time.time_ns()}@%h",
            ],
        )

    def start_beat(self):
        self._spawn(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "fiep",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(self.folder / "beat-schedule"),
            ],
        )

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(30)

    def stop_all(self):
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def log(self, name):
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # HTTP through the proxy shape: X-Forwarded-Proto https, cookies kept by hand (the
    # production cookies are Secure).
    def request(
        self, method, path, *, body=None, headers=None, cookies=None, record=True, timeout=60
    ):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        origin = f"https://127.0.0.1:{self.port}"
        sent = {
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{self.port}",
            "Referer": origin + path,
            "Origin": origin,
            **(headers or {}),
        }
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body, doseq=True)
        began = time.monotonic()
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read().decode(errors="replace")
        seconds = time.monotonic() - began
        if cookies is not None:
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookies[name] = rest.split(";", 1)[0]
        conn.close()
        if record:
            self.responses.append((method, path, response.status, round(seconds, 2)))
        return response.status, content, dict(response.getheaders()), seconds

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)
