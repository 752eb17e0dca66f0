import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from facilitators.models import Assignment
from fiep_requests.history import change_rows
from fiep_requests.services import request_approve, request_transition
from meetings.models import Meeting, MeetingStatus
from tests.factories import (
    AssignmentFactory,
    DistrictFactory,
    EvaluationFactory,
    EvaluationInvitationFactory,
    FacilitationRequestFactory,
    MeetingFactory,
    liaison_user,
    staff_user,
)

pytestmark = pytest.mark.django_db


def case_url(case):
    return reverse("fiep_requests:case", args=[case.reference])


def test_history_service_change_records_the_user():
    case = FacilitationRequestFactory(status="under_review")
    staff = staff_user()
    request_transition(request=case, to_status="approved", by=staff)
    latest = case.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == staff
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["status"]
    assert (delta.changes[0].old, delta.changes[0].new) == ("under_review", "approved")


def test_history_service_with_several_saves_names_the_user_on_each():
    case = FacilitationRequestFactory(status="under_review")
    staff = staff_user()
    request_approve(request=case, by=staff, message="Welcome")
    rows = list(case.history.filter(history_type="~"))
    assert len(rows) == 2  # status, then the decision message (not itself copied)
    assert {row.history_user for row in rows} == {staff}


def test_history_view_change_records_the_user(staff_client, staff):
    case = FacilitationRequestFactory(status="under_review")
    response = staff_client.post(
        reverse("fiep_requests:case-action", args=[case.reference, "approve"]),
        {"approve-message": ""},
    )
    assert response.status_code == 302
    assert case.history.latest().history_user == staff


def test_history_meeting_change_through_a_view_records_the_user(client):
    start = timezone.now() + datetime.timedelta(days=20)
    meeting = MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    staff = staff_user()
    client.force_login(staff)
    response = client.post(
        reverse("meetings:cancel", args=[meeting.pk]), {"who": "party", "reason": "Moved away"}
    )
    assert response.status_code == 302
    latest = Meeting.history.filter(id=meeting.pk).latest()
    assert latest.status == MeetingStatus.CANCELLED
    assert latest.history_user == staff
    assert not hasattr(latest, "cancel_reason")  # free text stays out of the history


def test_history_assignment_rows_created():
    assignment = AssignmentFactory(note="Private note")
    assignment.status = "replaced"
    assignment.save()
    records = Assignment.history.filter(id=assignment.pk)
    assert [r.history_type for r in records.order_by("history_date")] == ["+", "~"]
    assert not hasattr(records.first(), "note")


def test_change_rows_list_fields_with_labels_newest_first():
    case = FacilitationRequestFactory(status="under_review")
    staff = staff_user()
    request_transition(request=case, to_status="approved", by=staff)
    rows = change_rows(case.history.all(), "Request")
    assert [row.kind for row in rows] == ["changed", "created"]
    assert rows[0].by == str(staff)
    assert rows[0].fields == [("status", "Under review", "Approved")]
    assert rows[1].by == "system"


def test_case_page_shows_changes_to_staff(staff_client, staff):
    case = FacilitationRequestFactory(status="under_review")
    request_transition(request=case, to_status="approved", by=staff)
    assignment = AssignmentFactory(request=case)
    MeetingFactory(request=case, facilitator=assignment.facilitator)
    content = staff_client.get(case_url(case)).content.decode()
    assert "Changes to the request" in content
    assert "Status: Under review → Approved" in content
    assert "Changes to the facilitator assignment" in content
    assert "Changes to the meeting and its outcome" in content


def test_case_page_shows_evaluation_changes(staff_client):
    invitation = EvaluationInvitationFactory()
    EvaluationFactory(meeting=invitation.meeting, invitation=invitation, comments="Secret")
    content = staff_client.get(case_url(invitation.meeting.request)).content.decode()
    assert "Changes to evaluations" in content
    assert "Invitation · created" in content
    assert "Evaluation · created" in content


def test_case_page_hides_changes_from_liaison(client):
    district = DistrictFactory()
    case = FacilitationRequestFactory(district=district, status="under_review")
    request_transition(request=case, to_status="approved", by=staff_user())
    AssignmentFactory(request=case)
    client.force_login(liaison_user(district))
    content = client.get(case_url(case)).content.decode()
    assert "Changes to the request" not in content
    assert "Changes to the facilitator assignment" not in content


def test_change_rows_name_people_and_show_the_state_clock(settings):
    settings.TIME_ZONE = "America/Chicago"
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    fiona = staff_user(first_name="Fiona", last_name="Facilitator", username="fiona")
    nameless = staff_user(username="clerk7", first_name="", last_name="")
    meeting.outcome_recorded_by = fiona
    # 16:00 UTC on 8 November 2026 is 10:00 in Chicago (CST, UTC-6).
    meeting.outcome_recorded_at = datetime.datetime(
        2026, 11, 8, 16, 0, 0, 123456, tzinfo=datetime.UTC
    )
    meeting.actual_start = datetime.time(10, 5)
    meeting._history_user = nameless
    meeting.save()
    (changed,) = [
        row
        for row in change_rows(Meeting.history.filter(id=meeting.pk), "Meeting")
        if row.kind == "changed"
    ]
    fields = {label: new for label, _old, new in changed.fields}
    assert fields["outcome recorded by"] == "Fiona Facilitator"
    assert fields["outcome recorded at"] == "2026-11-08 10:00"
    assert fields["actual start"] == "10:05"
    assert changed.by == "clerk7"  # no name on the account: the username, never "#id"
    assert not any(value.startswith("#") for value in fields.values())


def test_case_timeline_names_the_person_and_dates_are_valid_html(staff_client):
    import re

    case = FacilitationRequestFactory(status="under_review")
    dana = staff_user(first_name="Dana", last_name="Reviewer", username="dreviewer")
    request_transition(request=case, to_status="approved", by=dana)
    content = staff_client.get(case_url(case)).content.decode()
    assert "Dana Reviewer" in content
    values = re.findall(r'<time datetime="([^"]*)"', content)
    assert values
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", value), value
