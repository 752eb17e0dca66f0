"""The HTML part of every e-mail is valid HTML (the Nu HTML checker, marker vnu).

Every member of ``fiep.notifications.Event`` is rendered in English and Spanish with the
realistic context of ``test_email_spanish.py``, once as the requester would get it and
once with the branches for the other party (``is_requester`` false, ``by_party`` true),
and every rendering goes to one run of ``vnu.jar``.
"""

import pytest

from fiep.notifications import Event, render_message
from tests import vnu

from .test_email_spanish import CONTEXT

# render_message reads the administrators' wordings (database, through the cache).
pytestmark = [pytest.mark.vnu, pytest.mark.django_db]

VARIANTS = {
    "requester": CONTEXT,
    "other party": {**CONTEXT, "is_requester": False, "by_party": True},
}


def test_every_email_html_part_is_valid_html():
    documents = {}
    for event in Event.values:
        for language in ("en", "es"):
            for variant, context in VARIANTS.items():
                _subject, _text, html = render_message(
                    event=event, language=language, context=context
                )
                documents[f"e-mail {event} ({language}, {variant})"] = html
    found = vnu.problems(documents)
    assert not found, f"{len(found)} HTML errors in {len(documents)} e-mails:\n" + "\n".join(found)


def test_the_checker_finds_a_planted_error_in_an_email():
    """The harness itself: a duplicate id and a bad <time> value are reported, located."""
    _subject, _text, html = render_message(event=Event.TEST_MESSAGE, language="en", context=CONTEXT)
    planted = html.replace(
        "<body",
        '<body><p id="x">a</p><p id="x"><time datetime="2026-12-03 09:30:00.123456">b</time></p',
        1,
    )
    found = vnu.problems({"valid": html, "planted": planted})
    assert all(line.startswith("planted line ") for line in found), found
    assert any("Duplicate ID" in line for line in found), found
    assert any("datetime" in line for line in found), found
