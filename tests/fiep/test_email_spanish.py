"""Every e-mail the program sends (each member of ``fiep.notifications.Event``), rendered
in Spanish with a realistic context, has no English sentence of its English rendering.

The context has every variable the e-mail templates use, with values like the ones the
services pass (names, tracking number, dates, links, a staff message, a reason).
"""

import datetime
import re
from html import escape

import pytest
from django.conf import settings
from django.utils import timezone

from fiep.notifications import Event, render_message

# render_message looks for an administrator's wording (fiep.wording).
pytestmark = pytest.mark.django_db

STARTS = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))

CONTEXT = {
    "name": "Rosa Ejemplo",
    "reference": "FIEP-2026-0007",
    "student_name": "Lucia Ejemplo",
    "school_name": "Prairie Elementary",
    "district_name": "Prairie Hills R-I",
    "district": "Prairie Hills R-I",
    "region": "Northwest",
    "facilitator": "Fiona Facilitator",
    "facilitator_name": "Fiona Facilitator",
    "meeting_type": "Annual review",
    "meeting_date": datetime.date(2026, 12, 3),
    "date": datetime.date(2026, 12, 3),
    "day": datetime.date(2026, 12, 3),
    "held_on": datetime.date(2026, 11, 20),
    "due": datetime.date(2026, 11, 27),
    "month": datetime.date(2026, 11, 1),
    "expires_on": datetime.date(2026, 12, 15),
    "expires_at": datetime.date(2026, 12, 15),
    "starts": STARTS,
    "ends": STARTS + datetime.timedelta(hours=1, minutes=30),
    "location": "Prairie Hills district office, Room 4",
    "interpreter_language": "Spanish",
    "days": 2,
    "amount": "150.00",
    "meeting_id": 12,
    "claim_id": 4,
    "is_requester": True,
    "by_party": False,
    "note": "Spanish-speaking family",
    "message": "Please bring the last IEP.",
    "comment": "Mileage is missing a receipt.",
    "reason": "The family asked to wait until January.",
    "reason_label": "Duplicate request",
    "closed_reason": "The district did not agree.",
    "status_url": "https://fiep.example.org/requests/status/t0k3n/",
    "consent_url": "https://fiep.example.org/requests/consent/t0k3n/",
    "survey_url": "https://fiep.example.org/evaluations/survey/t0k3n/",
    "self_evaluation_url": "https://fiep.example.org/evaluations/self/t0k3n/",
    "follow_up_url": "https://fiep.example.org/evaluations/follow-up/t0k3n/",
    "case_url": "https://fiep.example.org/facilitators/my/cases/18/",
    "suggestions_url": "https://fiep.example.org/facilitators/requests/18/suggestions/",
}


def english_sentences(text, values):
    """Sentences of three or more words of letters, once names, links and settings
    values are taken out."""
    text = re.sub(r"<[^>]+>", "\n", text)
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    parts = re.split(r"[\n.!?:;·()]+", text)
    return {" ".join(p.split()) for p in parts if len(re.findall(r"[A-Za-z]{2,}", p)) >= 3}


@pytest.mark.parametrize("event", Event.values)
def test_email_in_spanish_has_no_english_sentence(event):
    english = render_message(event=event, language="en", context=CONTEXT)
    spanish = render_message(event=event, language="es", context=CONTEXT)
    values = {v for v in CONTEXT.values() if isinstance(v, str)} | {
        settings.FIEP_AGENCY_NAME,
        settings.FIEP_STATE_NAME,
        settings.FIEP_OFFICE_PHONE,
    }
    left = {}
    for part, en, es in zip(("subject", "text", "html"), english, spanish, strict=True):
        same = english_sentences(en, values) & english_sentences(es, values)
        if same:
            left[part] = sorted(same)
    assert left == {}
    assert 'lang="es"' in spanish[2]
    assert english[0] != spanish[0]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("event", Event.values)
def test_email_html_has_the_subject_as_its_title(event, language):
    subject, _text, html = render_message(event=event, language=language, context=CONTEXT)
    (title,) = re.findall(r"<title>(.*?)</title>", html, flags=re.DOTALL)
    assert title.strip()
    if event == Event.REQUEST_RECEIVED:  # no title of its own: the subject is the title
        assert " ".join(title.split()) == " ".join(escape(subject).split())
