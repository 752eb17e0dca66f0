"""Rate limits hold across gunicorn workers when the cache is shared (CACHE_URL = Redis).

With the default per-process cache every gunicorn worker kept its own counters, so a
limit of 5 let 10 of 14 posts through with 2 workers. Here gunicorn runs as in production
(bin/entrypoint web, DJANGO_DEBUG=false, 2 workers) against a private redis-server, and 14
concurrent posts to a rate-limited public page must get exactly 5 answers and 9 × 429,
served by both workers.
"""

import concurrent.futures
import http.client
import http.cookies
import os
import re
import time

import pytest
from django.db import connection

from fiep.logredact import redact
from fiep_requests.models import RequestStatus
from tests.factories import FacilitationRequestFactory
from tests.prodcheck import procs

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="gunicorn needs the test database on PostgreSQL (DATABASE_URL)",
    ),
]

LIMIT = 5
POSTS = 14
PROXY = {"X-Forwarded-Proto": "https"}


@pytest.fixture
def gunicorn_two_workers(tmp_path):
    """bin/entrypoint collectstatic + web, with Redis as the cache; yields (port, log)."""
    redis, redis_port = procs.redis_server(tmp_path)
    db = connection.settings_dict
    web_port = procs.free_port()
    env = procs.production_env(
        DATABASE_URL=(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        CACHE_URL=f"redis://127.0.0.1:{redis_port}/1",
        FIEP_RATE_LIMIT_PER_HOUR=LIMIT,
        STATIC_ROOT=tmp_path / "static",
        WEB_BIND=f"127.0.0.1:{web_port}",
        WEB_WORKERS=2,
    )
    collect = procs.Process(
        "collectstatic", procs.entrypoint("collectstatic"), log=tmp_path / "collect.log", env=env
    )
    assert collect.popen.wait(timeout=300) == 0, collect.tail()
    collect.stop()
    # The access log names the worker process (%(p)s) that answered each request.
    web = procs.Process(
        "gunicorn",
        procs.entrypoint("web", "--access-logformat", 'worker=%(p)s %(s)s "%(r)s"'),
        log=tmp_path / "web.log",
        env=env,
    )
    try:
        web.wait_port(web_port)
        _until_both_workers_answer(web_port, web)
        yield web_port, web
    finally:
        web.stop()
        redis.stop()


def _workers_seen(web, path):
    # gunicorn's access log writes private-link tokens as [redacted] (fiep.gunicorn_conf).
    logged = re.escape(redact(path))
    return set(re.findall(rf'worker=<(\d+)> \d+ "\w+ {logged}', web.log.read_text()))


def _until_both_workers_answer(port, web, timeout=90):
    """Both workers have loaded the app (each answered /health/), so a post is never
    served by one worker only because the other was still starting."""
    deadline = time.monotonic() + timeout
    while len(_workers_seen(web, "/health/")) < 2:
        assert time.monotonic() < deadline, f"gunicorn did not start 2 workers:\n{web.tail()}"
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _: _get(port, "/health/"), range(8)))


def _get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=PROXY)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def _csrf_cookie(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/requests/new/", headers=PROXY)
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    cookie = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        cookie.load(header)
    return cookie["csrftoken"].value


def _post(port, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        path,
        body="",
        headers={
            **PROXY,
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": f"https://127.0.0.1:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def test_rate_limit_of_five_lets_exactly_five_through_two_workers(gunicorn_two_workers):
    port, web = gunicorn_two_workers
    # A closed request: its status page cannot be withdrawn, so a post only shows the page.
    case = FacilitationRequestFactory(status=RequestStatus.CLOSED)
    path = f"/requests/status/{case.status_token}/"
    token = _csrf_cookie(port)

    with concurrent.futures.ThreadPoolExecutor(max_workers=7) as pool:
        statuses = list(pool.map(lambda _: _post(port, path, token), range(POSTS)))

    assert sorted(statuses) == [200] * LIMIT + [429] * (POSTS - LIMIT), web.tail()
    workers = _workers_seen(web, path)
    # Should the operating system have handed every post to one worker, post on until the
    # other answers too: it must refuse as well, having counted nothing of its own.
    later = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=7) as pool:
        for _ in range(10):
            if len(workers) == 2:
                break
            later += pool.map(lambda _: _post(port, path, token), range(7))
            workers = _workers_seen(web, path)
    assert len(workers) == 2, f"one worker answered every post, proving nothing:\n{web.tail()}"
    assert set(later) <= {429}, later
