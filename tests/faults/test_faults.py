"""Faults injected into a running production-shaped stack (see stack.py). After each:
0 messages lost, 0 sent under two Message-IDs, 0 responses of 500, report runs end
"done" or "failed", and /health/ says what is wrong while it is wrong.

Run with ``bin/test -m faults tests/faults`` (CI runs it after the PostgreSQL suite).
"""

import time

from .stack import wait_until


def _report_run(stack, fmt="pdf"):
    """Ask for a report the way the page does (service + enqueue after commit)."""
    out = stack.app.manage(
        "shell",
        "-c",
        "from fiep.schoolyear import current_school_year as c; "
        "from reports.services import report_run_request as r; y = c(); "
        f"print(r(requested_by=None, start=y.start, end=y.end, fmt='{fmt}').pk)",
    )
    return int(out.split()[-1])


def _run_status(stack, pk):
    return stack.postgres.query("SELECT status, error FROM reports_reportrun WHERE id = %s", (pk,))[
        0
    ]


def test_baseline_everything_is_delivered_and_healthy(stack):
    copies = stack.extra_copies()
    for n in range(3):
        stack.submit(n)
    stack.wait_all_sent()
    assert stack.assert_once_each() == copies
    status, body, _s = wait_until(
        lambda: (h := stack.health()) and h[1]["worker"]["status"] == "ok" and h,
        timeout=30,
        what="the worker's heartbeat",
    )
    assert status == 200
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert body["smtp"]["status"] == "ok"
    assert body["outbox"]["unsent"] == 0
    stack.assert_no_server_errors()


def test_redis_stopped_submits_answer_fast_and_mail_follows(stack):
    copies = stack.extra_copies()
    stack.redis.stop()
    try:
        timings = [stack.submit(100 + n)[1] for n in range(10)]
        status, body, seconds = stack.health()
        assert status == 200 and body["status"] == "ok" and body["broker"] == "down"
        assert seconds < 6
        # The requests wait as submissions (the beat cannot reach the worker), or, filed
        # just before, their messages in the outbox.
        unsent = [row for row in stack.outbox() if row[2] != "sent"]
        assert stack.unfiled() or unsent, "the requests and their messages wait"
    finally:
        stack.redis.start()
    print(
        f"redis stopped: submit seconds max {max(timings):.2f}, mean "
        f"{sum(timings) / len(timings):.2f}"
    )
    assert max(timings) < 5
    stack.wait_all_sent(timeout=120)
    assert stack.assert_once_each() == copies
    stack.assert_no_server_errors()


def test_redis_hung_costs_a_submit_at_most_seconds_and_health_answers(stack):
    copies = stack.extra_copies()
    stack.redis.hang()
    try:
        timings = [stack.submit(200 + n)[1] for n in range(5)]
        status, body, seconds = stack.health()
        assert status == 200 and body["status"] == "ok"
        assert body["broker"] in ("down", "timeout")
        assert seconds < 6
    finally:
        stack.redis.resume()
    print(f"redis hung: submit seconds {[round(t, 2) for t in timings]}")
    assert max(timings) < 8
    stack.wait_all_sent(timeout=120)
    assert stack.assert_once_each() == copies
    stack.assert_no_server_errors()


def test_smtp_down_then_back_delivers_once(stack):
    copies = stack.extra_copies()
    stack.smtp.stop()
    try:
        for n in range(3):
            stack.submit(300 + n)
        wait_until(
            lambda: any(row[4] for row in stack.outbox() if row[2] != "sent"),
            timeout=30,
            what="a failed try recorded on a message",
        )
        status, body, _s = wait_until(
            lambda: (h := stack.health()) and h[1]["smtp"]["status"] == "failing" and h,
            timeout=30,
            what="/health/ to report SMTP failing",
        )
        assert status == 200 and body["status"] == "ok" and "smtp" in body["problems"]
    finally:
        stack.smtp.start()
    stack.wait_all_sent(timeout=120)
    assert stack.assert_once_each() == copies
    wait_until(
        lambda: stack.health()[1]["smtp"]["status"] == "ok", timeout=30, what="SMTP ok again"
    )
    stack.assert_no_server_errors()


def test_smtp_slow_does_not_hold_back_a_report(stack):
    copies = stack.extra_copies()
    stack.smtp.sink.rcpt_delay = 8  # EMAIL_TIMEOUT is 3 s here
    try:
        for n in range(2):
            stack.submit(400 + n)
        run = _report_run(stack, fmt="json")
        began = time.monotonic()
        wait_until(lambda: _run_status(stack, run)[0] == "done", timeout=60, what="the report run")
        print(f"smtp slow: report done {time.monotonic() - began:.1f} s after it was asked")
        wait_until(
            lambda: any("timed out" in row[4] for row in stack.outbox()),
            timeout=30,
            what="a timed-out SMTP try",
        )
    finally:
        stack.smtp.sink.rcpt_delay = 0
    stack.wait_all_sent(timeout=120)
    assert stack.assert_once_each() == copies
    stack.assert_no_server_errors()


def test_worker_killed_while_sending_sends_under_one_message_id(stack):
    stack.smtp.sink.data_delay = 2  # the worker is mid-conversation for 2 s
    try:
        stack.submit(500)
        wait_until(
            lambda: any(row[2] == "sending" for row in stack.outbox()),
            timeout=30,
            what="a message being sent",
            interval=0.05,
        )
        stack.app.kill("worker")
    finally:
        stack.smtp.sink.data_delay = 0
    status, body, _s = wait_until(
        lambda: (h := stack.health()) and h[1]["worker"]["status"] == "stale" and h,
        timeout=40,
        what="/health/ to report the worker stale",
    )
    assert status == 200 and "worker" in body["problems"]
    stack.app.start_worker()
    stack.wait_all_sent(timeout=120)
    copies = stack.assert_once_each()
    print(f"worker killed while sending: {copies} extra cop(ies) under the same Message-ID")
    stack.assert_no_server_errors()


def test_worker_killed_while_making_a_report_the_run_fails_with_a_reason(stack):
    run = _report_run(stack, fmt="pdf")
    wait_until(
        lambda: _run_status(stack, run)[0] != "queued",
        timeout=60,
        what="the run to start",
        interval=0.05,
    )
    state = _run_status(stack, run)[0]
    stack.app.kill("worker")
    stack.app.start_worker()
    final = wait_until(
        lambda: (s := _run_status(stack, run)) and s[0] in ("done", "failed") and s,
        timeout=90,
        what="the killed run to end",
    )
    if state == "running":
        assert final[0] == "failed" and "worker stopped" in final[1]
    runs = stack.postgres.query("SELECT status FROM reports_reportrun")
    assert {r[0] for r in runs} <= {"done", "failed"}


def test_postgres_stopped_pages_answer_503_and_nothing_is_lost(stack):
    copies = stack.extra_copies()
    stack.submit(600)
    stack.postgres.stop()
    try:
        status, page, headers, _s = stack.app.get("/requests/new/")
        assert status == 503 and headers.get("Retry-After") == "60"
        assert "Nothing was saved" in page
        status, page, headers, _s = stack.app.get(
            "/requests/new/", headers={"Accept-Language": "es"}
        )
        assert status == 503 and "No se guardó nada" in page
        status, page, _h, _s = stack.app.request(
            "POST", "/requests/new/", body={"student_first_name": "Ana"}
        )
        assert status in (403, 503)  # no CSRF cookie without a session: refused, not 500
        status, body, seconds = stack.health()
        assert status == 503 and body["database"] in ("down", "timeout") and seconds < 6
    finally:
        stack.postgres.start()
    wait_until(lambda: stack.app.get("/requests/new/")[0] == 200, timeout=60, what="the form again")
    stack.submit(601)
    stack.wait_all_sent(timeout=120)
    # Nothing lost and every message under its one Message-ID. A message whose SMTP
    # conversation ended while the database was down for longer than the lease (8 s here,
    # 300 s by default) can reach the server twice under that same Message-ID, as with a
    # killed worker; the sender retries writing the result while the lease holds.
    assert stack.assert_once_each() - copies <= 3
    stack.assert_no_server_errors()
