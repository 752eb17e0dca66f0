from pathlib import Path

import pytest
from django.utils import translation

from fiep.notifications import Event, render_message

EVENTS = [
    Event.REQUEST_RECEIVED,
    Event.CONSENT_REQUESTED,
    Event.CONSENT_REMINDER,
    Event.REQUEST_CLOSED,
    Event.REQUEST_APPROVED,
    Event.REQUEST_DENIED,
    Event.REQUEST_WITHDRAWN,
]
CONTEXT = {
    "name": "Rosa",
    "reference": "FIEP-2026-0007",
    "student_name": "Lucia Ejemplo",
    "school_name": "Prairie",
    "district_name": "Testville",
    "status_url": "https://x/status/t/",
    "consent_url": "https://x/consent/t/",
    "closed_reason": "why",
    "reason_label": "Duplicate",
    "message": "msg",
    "expires_on": "2026-12-01",
    "is_requester": True,
}


@pytest.mark.parametrize("event", EVENTS)
def test_email_templates_exist_for_event(event):
    folder = Path(__file__).resolve().parents[2] / "fiep_requests/templates/emails" / event.value
    assert sorted(p.name for p in folder.iterdir()) == ["body.html", "body.txt", "subject.txt"]


@pytest.mark.django_db  # render_message looks for an administrator's wording
@pytest.mark.parametrize("event", EVENTS)
def test_email_renders_in_english_and_spanish(event):
    english = render_message(event=event, language="en", context=CONTEXT)
    spanish = render_message(event=event, language="es", context=CONTEXT)
    assert "FIEP-2026-0007" in english[0]
    assert "FIEP-2026-0007" in spanish[0]
    assert english[0] != spanish[0]
    assert english[1] != spanish[1]
    assert 'lang="es"' in spanish[2]
    assert translation.get_language() == "en-us" or translation.get_language() == "en"
