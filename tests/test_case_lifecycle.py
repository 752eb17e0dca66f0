"""One case through every app, and the staff case page at each step.

approve (fiep_requests) → assign, accept (facilitators) → schedule, outcome (meetings) →
evaluation invitations (evaluations, through ``meetings.signals.outcome_recorded``). At
each step the case page shows the status, the panel of the app that acts next with its
link, and the timeline gains the entries of the app that acted.
"""

import datetime
import re

import pytest
from django.urls import reverse

from evaluations.models import EvaluationInvitation
from facilitators import services as facilitator_services
from fiep_requests import services as request_services
from fiep_requests.models import RequestStatus
from meetings import services as meeting_services
from meetings.clock import local_zone
from meetings.models import HeldResult, Meeting
from tests import factories

pytestmark = pytest.mark.django_db


def _page(client, case):
    response = client.get(reverse("fiep_requests:case", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _status(html):
    return re.search(r"Status:\s*<strong>([^<]+)</strong>", html).group(1)


def _timeline(html):
    return html[html.index('id="timeline-heading"') :]


def test_case_lifecycle_through_every_app(staff_client, staff, django_capture_on_commit_callbacks):
    case = factories.FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    facilitator = factories.FacilitatorFactory(with_user=True, first_name="Fay")
    facilitator.regions.add(case.district.region)

    # 1. Approve: the facilitators panel offers "Assign a facilitator".
    request_services.request_approve(request=case, by=staff)
    html = _page(staff_client, case)
    assert _status(html) == "Approved"
    assert reverse("facilitators:suggestions", kwargs={"request_pk": case.pk}) in html
    assert "Assign a facilitator" in html

    # 2. Assign: offered; the meetings panel waits for the facilitator to accept.
    assignment = facilitator_services.facilitator_assign(
        request=case, facilitator=facilitator, by=staff
    )
    html = _page(staff_client, case)
    assert _status(html) == "Facilitator assigned"
    assert "Offered, awaiting the facilitator" in html
    assert "once the facilitator accepts the case" in html
    assert reverse("meetings:schedule", args=[case.pk]) not in html
    assert f"Facilitator offered: {facilitator.full_name}" in _timeline(html)

    # 3. The facilitator accepts: "Schedule the meeting" appears.
    facilitator_services.assignment_accept(
        assignment=assignment, user=facilitator.user, attest_no_conflict=True
    )
    html = _page(staff_client, case)
    assert reverse("meetings:schedule", args=[case.pk]) in html
    assert "accepted and attested no conflict" in _timeline(html)

    # 4. Schedule: the meeting panel links to the meeting and its outcome record.
    start = datetime.datetime.combine(
        datetime.date.today() + datetime.timedelta(days=14), datetime.time(10), local_zone()
    )
    meeting = meeting_services.meeting_schedule(
        request=case,
        by=staff,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="video",
        location="https://video.example.org/room",
        participants=[
            {"role": "parent", "name": "Maria Example", "email": "maria@example.org"},
            {"role": "administrator", "name": "Dana Director", "email": "dana@example.org"},
        ],
    )
    html = _page(staff_client, case)
    assert _status(html) == "Meeting scheduled"
    assert reverse("meetings:detail", args=[meeting.pk]) in html
    assert reverse("meetings:outcome", args=[meeting.pk]) in html
    assert "Meeting scheduled" in _timeline(html)

    # 5. The day comes; the facilitator records the outcome. Evaluations are invited.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start - datetime.timedelta(days=15),
        ends_at=start - datetime.timedelta(days=15, hours=-2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.outcome_record(
            meeting=meeting,
            by=facilitator.user,
            held=HeldResult.HELD,
            consensus="all",
            attendees_by_role={"parent": 1, "administrator": 1},
        )
    assert EvaluationInvitation.objects.filter(meeting=meeting).count() == 2
    html = _page(staff_client, case)
    assert _status(html) == "Meeting held"
    assert reverse("evaluations:meeting", args=[meeting.pk]) in html
    timeline = _timeline(html)
    assert "Outcome recorded" in timeline
    assert "Evaluation invitations sent: 2" in timeline

    # The panels read in the order the work is done: facilitator, meeting, evaluations.
    positions = [
        html.index('id="facilitator-panel-title"'),
        html.index('id="case-meeting"'),
        html.index('id="case-panel-evaluations"'),
    ]
    assert positions == sorted(positions)
    # Every status move is on the timeline, in order.
    moves = [
        "Under review → Approved",
        "Approved → Facilitator assigned",
        "Facilitator assigned → Meeting scheduled",
        "Meeting scheduled → Meeting held",
    ]
    found = [timeline.index(move) for move in moves]
    assert found == sorted(found)


def test_facilitator_portal_links_to_meetings_and_feedback(client):
    facilitator = factories.FacilitatorFactory(with_user=True)
    client.force_login(facilitator.user)
    html = client.get(reverse("facilitators:my-cases")).content.decode()
    assert reverse("meetings:mine") in html
    assert reverse("evaluations:my-feedback") in html


def test_facilitator_portal_next_step_links_to_the_outcome_record(client):
    facilitator = factories.FacilitatorFactory(with_user=True)
    start = datetime.datetime.combine(
        datetime.date.today() - datetime.timedelta(days=2), datetime.time(10), local_zone()
    )
    past = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    upcoming = factories.MeetingFactory(
        facilitator=facilitator,
        starts_at=start + datetime.timedelta(days=9),
        ends_at=start + datetime.timedelta(days=9, hours=2),
    )
    client.force_login(facilitator.user)
    html = client.get(reverse("facilitators:my-cases")).content.decode()
    assert reverse("meetings:outcome", args=[past.pk]) in html
    assert "Record the outcome of the meeting." in html
    assert reverse("meetings:detail", args=[upcoming.pk]) in html
    assert "Facilitate the meeting." in html


def test_case_panels_in_flow_order_before_other_panels(rf, staff):
    from fiep_requests.extensions import case_panels

    case = factories.MeetingFactory(held=True).request

    def other(http_request, case):  # no order: after the flow
        return ("fiep/_panel_links.html", {"title": "Other", "links": []})

    def first(http_request, case):  # a lower order than the flow's: before it
        return ("fiep/_panel_links.html", {"title": "First", "links": []})

    case_panels.connect_ordered(other, dispatch_uid="test-other")
    # Even when connected before the flow's receivers, the order decides.
    case_panels.receivers.insert(0, case_panels.receivers.pop())
    case_panels.connect_ordered(first, order=5, dispatch_uid="test-first")
    try:
        request = rf.get("/")
        request.user = staff
        panels = case_panels.collect(http_request=request, case=case)
    finally:
        case_panels.disconnect(dispatch_uid="test-other")
        case_panels.disconnect(dispatch_uid="test-first")
    titles = [context.get("title") for _name, context in panels]
    assert titles[0] == "First"
    assert titles.index("Other") > 3
    templates = [name for name, _context in panels][1:]
    assert templates[:3] == [
        "facilitators/_case_panel.html",
        "meetings/_case_panel.html",
        "evaluations/_case_panel.html",
    ]
    assert "fiep/_panel_links.html" in templates[3:]  # after the flow, with the history
