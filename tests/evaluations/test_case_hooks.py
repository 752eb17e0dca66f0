import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from fiep_requests.extensions import case_panels, case_timeline_entries
from tests import factories

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_case_panel_shows_counts_to_staff(staff, invited_meeting):
    panels = case_panels.collect(http_request=_request(staff), case=invited_meeting.request)
    template, context = next(p for p in panels if p[0] == "evaluations/_case_panel.html")
    html = render_to_string(template, {"panel": context})
    assert "0 evaluations from 2 invitations (response rate 0%)." in html


def test_case_panel_hidden_from_facilitators_and_unheld_meetings(facilitator_user, staff):
    held = factories.MeetingFactory(held=True)
    templates = [
        t
        for t, _ in case_panels.collect(http_request=_request(facilitator_user), case=held.request)
    ]
    assert not [t for t in templates if t.startswith("evaluations/")]
    scheduled = factories.MeetingFactory()
    templates = [
        t for t, _ in case_panels.collect(http_request=_request(staff), case=scheduled.request)
    ]
    assert not [t for t in templates if t.startswith("evaluations/")]


def test_timeline_entry_counts_invitations_and_answers(invited_meeting):
    entries = [
        e
        for e in case_timeline_entries.collect(case=invited_meeting.request)
        if e.kind == "evaluation"
    ]
    assert len(entries) == 1
    assert "invitations sent: 2" in entries[0].text
