"""The demo seen as a whole: one ``seed_demo`` run, checked across the apps.

Each app's demo is tested on its own in its folder; these tests check that together they
tell one consistent story (the request, its assignment and its meeting agree), that every
state a demo user should be able to see exists, and that a second run changes nothing.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationInvitation
from facilitators.models import Assignment, AssignmentStatus, Facilitator
from facilitators.selectors import LIVE_STATUSES, facilitator_cases, roster
from fiep.models import OutboxMessage, User
from fiep_requests.models import FacilitationRequest, RequestStatus, StatusChange
from meetings.models import ClaimStatus, Meeting, MeetingChange, MeetingStatus, PaymentClaim
from meetings.selectors import upcoming_meetings

#: The request statuses a meeting in each status may go with.
MEETING_REQUEST_STATUSES = {
    MeetingStatus.SCHEDULED: {RequestStatus.SCHEDULED},
    MeetingStatus.HELD: {RequestStatus.HELD, RequestStatus.CLOSED},
    MeetingStatus.NO_SHOW: {RequestStatus.CANCELLED},
    MeetingStatus.CANCELLED: {
        RequestStatus.CANCELLED,
        RequestStatus.WITHDRAWN,
        RequestStatus.DENIED,
        RequestStatus.ASSIGNED,  # cancelled by staff for a new date
    },
}
COUNTED = [
    FacilitationRequest,
    StatusChange,
    Assignment,
    Facilitator,
    Meeting,
    MeetingChange,
    PaymentClaim,
    EvaluationInvitation,
    Evaluation,
    OutboxMessage,
    User,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo`` once for the module, undone afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", force=True, stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _live_meetings():
    return Meeting.objects.filter(imported=False).select_related("request", "facilitator")


def test_demo_every_request_status_appears():
    statuses = set(
        FacilitationRequest.objects.filter(imported=False).values_list("status", flat=True)
    )
    assert statuses == set(RequestStatus.values)


def test_demo_every_assignment_and_claim_status_appears():
    assert set(Assignment.objects.values_list("status", flat=True)) == set(AssignmentStatus.values)
    assert set(PaymentClaim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)


def test_demo_scheduled_and_held_meetings_have_the_accepted_facilitator():
    for meeting in _live_meetings().filter(status__in=[MeetingStatus.SCHEDULED, "held"]):
        accepted = Assignment.objects.filter(
            request=meeting.request, status=AssignmentStatus.ACCEPTED
        )
        assert list(accepted.values_list("facilitator", flat=True)) == [meeting.facilitator_id], (
            meeting.request.reference
        )


def test_demo_request_statuses_match_meeting_statuses():
    for meeting in _live_meetings():
        allowed = MEETING_REQUEST_STATUSES[meeting.status]
        assert meeting.request.status in allowed, (meeting.request.reference, meeting.status)
    for case in FacilitationRequest.objects.filter(
        imported=False, status__in=[RequestStatus.SCHEDULED, RequestStatus.HELD]
    ):
        assert Meeting.objects.filter(request=case).exists(), case.reference


def test_demo_assignments_agree_with_request_statuses():
    holding = [RequestStatus.ASSIGNED, RequestStatus.SCHEDULED, RequestStatus.HELD]
    for case in FacilitationRequest.objects.filter(imported=False, status__in=holding):
        assert case.assignments.filter(status__in=LIVE_STATUSES).count() == 1, case.reference
    before = [RequestStatus.SUBMITTED, RequestStatus.AWAITING_CONSENT, RequestStatus.APPROVED]
    before.append(RequestStatus.UNDER_REVIEW)
    assert not Assignment.objects.filter(
        request__status__in=before, status__in=LIVE_STATUSES
    ).exists()
    # A case closed before its meeting released its facilitator (a no-show or a meeting
    # cancelled at the table keeps the assignment: the facilitator was there).
    closed_early = Assignment.objects.filter(
        request__status__in=[RequestStatus.WITHDRAWN, RequestStatus.DENIED, "cancelled"],
        status__in=LIVE_STATUSES,
    ).exclude(request__meeting__outcome_recorded_at__isnull=False)
    assert list(closed_early) == []


def test_demo_history_in_order_and_in_the_past():
    now = timezone.now()
    for case in FacilitationRequest.objects.filter(imported=False).prefetch_related(
        "status_changes"
    ):
        changes = sorted(case.status_changes.all(), key=lambda c: c.id)
        assert changes, case.reference
        assert [c.at for c in changes] == sorted(c.at for c in changes), case.reference
        assert changes[-1].to_status == case.status, case.reference
        assert all(c.at <= now for c in changes), case.reference


def test_demo_facilitator_sees_every_step():
    fiona = User.objects.get(username="facilitator")
    cases = list(facilitator_cases(fiona))
    now = timezone.now()
    offered = [c for c in cases if c.my_assignment_status == AssignmentStatus.OFFERED]
    to_schedule = [
        c
        for c in cases
        if c.my_assignment_status == AssignmentStatus.ACCEPTED and c.status == "assigned"
    ]
    upcoming = [c for c in cases if c.status == "scheduled" and c.meeting_starts_at > now]
    to_record = [c for c in cases if c.status == "scheduled" and c.meeting_starts_at <= now]
    held = [c for c in cases if c.status in ("held", "closed")]
    assert offered and to_schedule and upcoming and to_record and held
    assert all(c.meeting_id is None for c in to_schedule)


def test_demo_calendar_claims_evaluations_and_history():
    staff = User.objects.get(username="staff")
    assert upcoming_meetings(staff).count() >= 3
    assert Evaluation.objects.filter(meeting__imported=False).exists()
    assert EvaluationInvitation.objects.exists()
    years = Meeting.objects.filter(imported=True).dates("held_on", "year")
    assert [d.year for d in years][0] == 2015
    assert [d.year for d in years][-1] >= 2026


def test_demo_pages_as_each_demo_user(client):
    staff = User.objects.get(username="staff")
    client.force_login(staff)
    inbox = client.get(reverse("fiep_requests:inbox"))
    assert inbox.status_code == 200
    held = _live_meetings().filter(status=MeetingStatus.HELD).first()
    case = client.get(reverse("fiep_requests:case", args=[held.request.reference]))
    assert case.status_code == 200
    for text in ["Meeting", "Evaluations", "Facilitator"]:
        assert text in case.content.decode()
    assert client.get(reverse("meetings:calendar")).status_code == 200
    assert client.get(reverse("reports:dashboard")).status_code == 200
    client.force_login(User.objects.get(username="facilitator"))
    for name in ["facilitators:my-cases", "meetings:mine", "evaluations:my-feedback"]:
        assert client.get(reverse(name)).status_code == 200, name
    mine = client.get(reverse("meetings:mine")).content.decode()
    assert "Outcomes to record" in mine


def test_demo_second_run_changes_nothing():
    before = {model.__name__: model.objects.count() for model in COUNTED}
    call_command("seed_demo", force=True, stdout=io.StringIO())
    after = {model.__name__: model.objects.count() for model in COUNTED}
    assert after == before
    assert datetime.date.today().year >= 2026


def test_demo_facilitator_has_room_for_a_new_case():
    fiona = next(f for f in roster() if f.user and f.user.username == "facilitator")
    assert fiona.open_cases >= 3  # she carries the demo's cases ...
    assert fiona.open_cases < fiona.max_open_cases  # ... and can still be offered one


def _demo_links():
    out = io.StringIO()
    call_command("demo_links", force=True, stdout=out)
    return dict(
        line.strip().rsplit(": ", 1) for line in out.getvalue().splitlines() if "http" in line
    )


def test_demo_links_are_live_for_the_walk(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    links = _demo_links()
    consent = [url for label, url in links.items() if label.startswith("Consent")]
    survey = [url for label, url in links.items() if label.startswith("Survey")]
    assert consent and len(survey) == 1
    for url in consent + survey:
        assert url.startswith("http://127.0.0.1:8123/")
        response = client.get(url.removeprefix(settings.SITE_URL))
        assert response.status_code == 200, url
    assert 'name="answer"' in client.get(consent[0].removeprefix(settings.SITE_URL)).text
    # Once the survey link is used, the next run offers a new live one.
    token = survey[0].rstrip("/").rsplit("/", 1)[1]
    EvaluationInvitation.objects.filter(token=token).update(used_at=timezone.now())
    (again,) = [url for label, url in _demo_links().items() if label.startswith("Survey")]
    assert again != survey[0]
    assert client.get(again.removeprefix(settings.SITE_URL)).status_code == 200


def test_demo_links_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_links", stdout=io.StringIO())
