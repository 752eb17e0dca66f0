"""Start and stop real server processes for tests that need the production shape.

Every server here is private: started on a free port of 127.0.0.1, stopped by its own
process id; the machine's shared PostgreSQL and Redis are never touched.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """One background process with its output in ``log``; stop() ends only this one."""

    def __init__(self, name, args, *, log, env=None, cwd=ROOT):
        self.name = name
        self.log = Path(log)
        self._out = open(self.log, "wb")  # noqa: SIM115  (closed in stop())
        self.popen = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    def tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def wait_port(self, port, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.tail()}")
            if listening(port):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not listen on {port} in {timeout} s:\n{self.tail()}")

    def stop(self, timeout=20):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._out.close()


def redis_server(folder):
    """A private redis-server that keeps nothing on disk; returns (process, port)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing (apt-get install redis-server)")
    port = free_port()
    process = Process(
        "redis",
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        log=Path(folder) / "redis.log",
    )
    process.wait_port(port)
    return process, port


def production_env(**extra):
    """The environment of a production process: DEBUG off, a random key, this machine."""
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    for name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def entrypoint(*args):
    """The command line of ``bin/entrypoint ARGS`` (what Docker and bin/prod-check run)."""
    return [str(ROOT / "bin" / "entrypoint"), *args]
