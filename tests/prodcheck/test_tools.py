"""The walk's own tools agree with the site: its TOTP codes are django-otp's, and the
mailbox reads back what the SMTP sink stored."""

import asyncio
import base64
import os
import smtplib
from types import SimpleNamespace

from django_otp.oath import TOTP

from tests.prodcheck import tools
from tests.prodcheck.smtp_sink import Keep


def test_totp_matches_the_rfc_6238_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (6 digits: 287082).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert tools.totp(secret, 59 // 30) == "287082"
    assert tools.totp(secret, 59 // 30 + 1) != "287082"


def test_totp_matches_django_otp_for_a_random_key():
    key = os.urandom(20)
    secret = base64.b32encode(key).decode().rstrip("=")
    for step in (0, 1, 56_789_012):
        expected = TOTP(key, step=30, t0=0, digits=6)
        expected.time = step * 30
        assert tools.totp(secret, step) == f"{expected.token():06d}"


def test_authenticator_never_reuses_a_step():
    """The site accepts each code once, so a second log-in uses the next step's code."""
    phone = tools.Authenticator()
    secret = base64.b32encode(os.urandom(20)).decode().rstrip("=")
    phone.secrets["olivia"] = secret
    first = phone.code("olivia")
    step = phone.last_step["olivia"]
    second = phone.code("olivia")
    assert phone.last_step["olivia"] == step + 1
    assert (first, second) == (tools.totp(secret, step), tools.totp(secret, step + 1))


def test_mailbox_finds_the_link_the_sink_stored(tmp_path):
    raw = (
        b"From: office@example.org\r\nTo: dana@example.org\r\nSubject: Agree?\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Open https://fiep.example.org/requests/consent/abc-DEF_123/ to answer.\r\n"
    )
    envelope = SimpleNamespace(
        mail_from="office@example.org", rcpt_tos=["dana@example.org"], original_content=raw
    )
    reply = asyncio.run(Keep(tmp_path).handle_DATA(None, None, envelope))
    assert reply.startswith("250")
    assert [p.name for p in tmp_path.iterdir()] == ["00001.eml"]
    link, message = tools.Mailbox(tmp_path).wait_for_link(
        to="dana@example.org", pattern=r"https?://\S+/requests/consent/[^\s/]+/", what="link"
    )
    assert link == "https://fiep.example.org/requests/consent/abc-DEF_123/"
    assert message["subject"] == "Agree?"


def test_smtp_sink_keeps_a_message_sent_over_smtp(tmp_path):
    from aiosmtpd.controller import Controller

    from tests.prodcheck.procs import free_port

    port = free_port()
    controller = Controller(Keep(tmp_path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail("a@example.org", ["b@example.org"], "Subject: hi\r\n\r\nhello\r\n")
    finally:
        controller.stop()
    stored = (tmp_path / "00001.eml").read_text()
    assert "X-Envelope-To: b@example.org" in stored
    assert "hello" in stored
