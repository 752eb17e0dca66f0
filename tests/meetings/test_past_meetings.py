"""Recording a meeting that already took place: one flow, the reason on the timeline,
no invitations, the surveys as after any outcome."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import EvaluationInvitation
from facilitators.models import AssignmentStatus
from fiep.exceptions import ServiceError
from fiep.models import AccessLog, OutboxMessage
from fiep.notifications import Event
from fiep_requests.models import RequestStatus, StatusChange
from fiep_requests.selectors import case_timeline
from meetings import services
from meetings.clock import local_zone
from meetings.models import Meeting, MeetingChange, MeetingChangeKind, MeetingStatus
from tests import factories

from .conftest import PARTICIPANTS, in_days

pytestmark = pytest.mark.django_db

MEETING_MESSAGES = {
    Event.MEETING_SCHEDULED,
    Event.MEETING_RESCHEDULED,
    Event.MEETING_REMINDER,
    Event.MEETING_CANCELLED,
}


@pytest.fixture
def case(assignment):
    """An assigned case received a month ago, its facilitator accepted."""
    request = assignment.request
    request.received_on = timezone.localdate(timezone.now(), local_zone()) - datetime.timedelta(
        days=30
    )
    request.save(update_fields=["received_on"])
    return request


def _record(case, by, **overrides):
    start = in_days(-3)
    kwargs = {
        "request": case,
        "by": by,
        "reason": "Scheduled by phone; the paperwork came late",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "format": "in_person",
        "location": "District office",
        "participants": PARTICIPANTS,
        "held": "held",
        "attendees_by_role": {"parent": 1, "special_educator": 1},
        "consensus": "all",
        "issues": [("Reading services", True)],
        "shared_summary": "Agreed on reading minutes.",
    }
    kwargs.update(overrides)
    return services.meeting_record_past(**kwargs)


# --- The service ------------------------------------------------------------------------


def test_record_past_meeting_holds_it_with_the_reason_and_sends_only_surveys(
    case, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _record(case, staff)
    meeting.refresh_from_db()
    case.refresh_from_db()
    assert (meeting.status, meeting.consensus) == (MeetingStatus.HELD, "all")
    assert meeting.held_on == timezone.localdate(in_days(-3), local_zone())
    assert case.status == RequestStatus.HELD
    moves = list(
        StatusChange.objects.filter(request=case).order_by("id").values_list("to_status", "reason")
    )
    assert moves[-2:] == [
        (
            RequestStatus.SCHEDULED,
            "Recorded after the fact: Scheduled by phone; the paperwork came late",
        ),
        (RequestStatus.HELD, "Outcome recorded: Held"),
    ]
    kinds = list(meeting.changes.order_by("id").values_list("kind", flat=True))
    assert kinds == [MeetingChangeKind.RECORDED_PAST, MeetingChangeKind.OUTCOME]
    events = set(OutboxMessage.objects.values_list("event", flat=True))
    assert events & MEETING_MESSAGES == set()
    assert not any(m.attachments for m in OutboxMessage.objects.all())  # no .ics at all
    invited = set(EvaluationInvitation.objects.values_list("email", flat=True))
    assert invited == {"maria@example.org", "sam@example.org"}
    assert Event.EVALUATION_INVITATION in events


def test_record_past_meeting_timeline_says_recorded_after_the_fact(case, staff):
    _record(case, staff, reason="History kept on paper")
    texts = [f"{e.text} {e.detail}" for e in case_timeline(case)]
    assert any("Recorded after the fact: History kept on paper" in t for t in texts)
    assert any(t.startswith("Past meeting recorded after the fact") for t in texts)


def test_record_past_meeting_reason_stored_in_site_language(case, staff, settings):
    from django.utils import translation

    with translation.override("es"):
        _record(case, staff, reason="Por teléfono")
    change = StatusChange.objects.filter(request=case, to_status=RequestStatus.SCHEDULED).get()
    assert change.reason == "Recorded after the fact: Por teléfono"


@pytest.mark.parametrize("reason", ["", "   "])
def test_record_past_meeting_requires_a_reason(case, staff, reason):
    with pytest.raises(ServiceError) as err:
        _record(case, staff, reason=reason)
    assert err.value.field == "reason"
    assert not Meeting.objects.exists()


def test_record_past_meeting_refuses_a_future_start(case, staff):
    start = timezone.now() + datetime.timedelta(minutes=5)
    with pytest.raises(ServiceError) as err:
        _record(case, staff, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    assert (err.value.code, err.value.field) == ("future", "day")
    assert not Meeting.objects.exists()
    case.refresh_from_db()
    assert case.status == RequestStatus.ASSIGNED


def test_record_past_meeting_refuses_a_meeting_still_going_on(case, staff):
    start = timezone.now() - datetime.timedelta(minutes=30)
    with pytest.raises(ServiceError) as err:
        _record(case, staff, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert (err.value.code, err.value.field) == ("not_ended", "end_time")


def test_record_past_meeting_refuses_a_day_before_the_request_was_received(case, staff):
    day_before = datetime.datetime.combine(
        case.received_on - datetime.timedelta(days=1), datetime.time(10), tzinfo=local_zone()
    )
    with pytest.raises(ServiceError) as err:
        _record(case, staff, starts_at=day_before, ends_at=day_before + datetime.timedelta(hours=1))
    assert err.value.code == "before_request"
    # The day it was received is fine (a phone request and its meeting the same day).
    same_day = day_before + datetime.timedelta(days=1)
    meeting = _record(
        case, staff, starts_at=same_day, ends_at=same_day + datetime.timedelta(hours=1)
    )
    assert meeting.status == MeetingStatus.HELD


def test_record_past_meeting_refused_once_the_case_has_a_meeting(case, staff):
    _record(case, staff)
    with pytest.raises(ServiceError) as err:
        _record(case, staff)
    assert "past meeting can be recorded only" in str(err.value)
    assert Meeting.objects.count() == 1


def test_record_past_meeting_needs_an_accepted_facilitator(staff):
    offered = factories.AssignmentFactory(
        status=AssignmentStatus.OFFERED,
        request__received_on=datetime.date.today() - datetime.timedelta(days=30),
    )
    with pytest.raises(ServiceError) as err:
        _record(offered.request, staff, starts_at=in_days(-1), ends_at=in_days(-1, hour=11))
    assert "No facilitator has accepted" in str(err.value)


def test_record_past_meeting_reuses_a_meeting_cancelled_for_rescheduling(case, staff):
    cancelled = factories.MeetingFactory(
        request=case,
        facilitator=case.assignments.get().facilitator,
        status=MeetingStatus.CANCELLED,
        starts_at=in_days(5),
        ends_at=in_days(5) + datetime.timedelta(hours=1),
        sequence=2,
    )
    meeting = _record(case, staff)
    assert meeting.pk == cancelled.pk
    assert meeting.sequence == 3


def test_record_past_meeting_no_show_cancels_the_case_without_surveys(
    case, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _record(
            case, staff, held="no_show", consensus="", issues=[], attendees_by_role={}
        )
    case.refresh_from_db()
    assert (meeting.status, case.status) == (MeetingStatus.NO_SHOW, RequestStatus.CANCELLED)
    assert not EvaluationInvitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_record_past_meeting_refused_outcome_leaves_nothing_behind():
    """The meeting and the outcome are one transaction: an outcome the outcome service
    refuses (consensus missing) rolls back the meeting and the status change too."""
    assignment = factories.AssignmentFactory()
    case = assignment.request
    case.received_on = case.received_on - datetime.timedelta(days=30)
    case.save()
    staff = factories.staff_user()
    with pytest.raises(ServiceError) as err:
        _record(case, staff, consensus="")
    assert "Record the consensus reached." in str(err.value)
    case.refresh_from_db()
    assert case.status == RequestStatus.ASSIGNED
    assert not Meeting.objects.exists()
    assert not MeetingChange.objects.exists()
    assert not StatusChange.objects.filter(request=case, to_status="scheduled").exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_record_past_meeting_sends_surveys_after_commit_only():
    """On a real commit the surveys go out (outcome_recorded after commit), and no
    meeting invitation is written."""
    assignment = factories.AssignmentFactory()
    case = assignment.request
    case.received_on = case.received_on - datetime.timedelta(days=30)
    case.save()
    _record(case, factories.staff_user())
    assert EvaluationInvitation.objects.count() == 2
    events = list(OutboxMessage.objects.values_list("event", flat=True))
    assert Event.EVALUATION_INVITATION in events
    assert set(events) & MEETING_MESSAGES == set()


# --- The page ------------------------------------------------------------------------------


def _post_data(**overrides):
    start = timezone.localtime(in_days(-3), local_zone())
    data = {
        "reason": "Scheduled by phone",
        "day": start.date().isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "format": "in_person",
        "location": "District office",
        "interpreter_language": "",
        "p-TOTAL_FORMS": "2",
        "p-INITIAL_FORMS": "0",
        "p-0-role": "parent",
        "p-0-name": "Maria Example",
        "p-0-email": "maria@example.org",
        "p-0-language": "es",
        "p-1-role": "",
        "p-1-language": "en",
        "o-held": "held",
        "o-consensus": "some",
        "o-next_step": "none",
        "o-attended_parent": "1",
        "i-TOTAL_FORMS": "1",
        "i-INITIAL_FORMS": "0",
        "i-0-description": "Placement",
        "i-0-resolved": "on",
    }
    data.update(overrides)
    return data


def _url(case):
    return reverse("meetings:record-past", args=[case.pk])


def test_record_past_page_staff_records_and_lands_on_the_meeting(client, case, staff):
    client.force_login(staff)
    page = client.get(_url(case))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert AccessLog.objects.filter(case_reference=case.reference).exists()
    response = client.post(_url(case), _post_data())
    meeting = Meeting.objects.get(request=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.participants.values_list("email", flat=True)) == ["maria@example.org"]


def test_record_past_page_prefills_the_parties(client, case, staff):
    client.force_login(staff)
    html = client.get(_url(case)).content.decode()
    assert case.parent_email in html and case.district_contact_email in html


def test_record_past_page_the_case_facilitator_may(client, case, facilitator):
    client.force_login(facilitator.user)
    assert client.get(_url(case)).status_code == 200
    assert client.post(_url(case), _post_data()).status_code == 302


def test_record_past_page_out_of_scope_facilitator_gets_404(client, case):
    other = factories.FacilitatorFactory(with_user=True)
    client.force_login(other.user)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _post_data()).status_code == 404
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "status", [AssignmentStatus.RELEASED, AssignmentStatus.REPLACED, AssignmentStatus.DECLINED]
)
def test_record_past_page_removed_facilitator_gets_404(client, case, facilitator, status):
    case.assignments.update(status=status)
    client.force_login(facilitator.user)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _post_data()).status_code == 404
    assert not Meeting.objects.exists()


def test_record_past_page_liaison_and_anonymous(client, case):
    assert client.get(_url(case)).status_code == 302  # log in first
    client.force_login(factories.liaison_user(case.district))
    assert client.get(_url(case)).status_code == 403


def test_record_past_page_future_time_is_refused_on_the_date_field(client, case, staff):
    client.force_login(staff)
    tomorrow = timezone.localdate(timezone.now(), local_zone()) + datetime.timedelta(days=1)
    response = client.post(_url(case), _post_data(day=tomorrow.isoformat()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_day_error"' in html
    assert "A past meeting cannot start in the future." in html
    assert 'value="Scheduled by phone"' in html or "Scheduled by phone</textarea>" in html
    assert not Meeting.objects.exists()


def test_record_past_page_time_before_the_request_is_refused(client, case, staff):
    client.force_login(staff)
    before = case.received_on - datetime.timedelta(days=2)
    response = client.post(_url(case), _post_data(day=before.isoformat()))
    html = response.content.decode()
    assert 'id="id_day_error"' in html
    assert "before the request was received" in html
    assert not Meeting.objects.exists()


def test_record_past_page_missing_reason_is_located(client, case, staff):
    client.force_login(staff)
    response = client.post(_url(case), _post_data(reason=""))
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_record_past_page_scheduled_case_is_404(client, staff, past_meeting):
    client.force_login(staff)
    assert client.get(_url(past_meeting.request)).status_code == 404


#: Session and user, the case and its accepted assignment (scope and rule), the access
#: log, the role and object permission checks: fixed, whatever the data.
QUERIES_PAGE = 10


def test_record_past_page_query_count(client, staff, query_guard):
    """The page's cost does not grow with the number of cases or meetings."""
    assignment = factories.AssignmentFactory()
    client.force_login(staff)
    url = _url(assignment.request)

    def add(n):
        for _ in range(n):
            factories.AssignmentFactory()
            factories.MeetingFactory()

    query_guard(QUERIES_PAGE, lambda: client.get(url), add=add, many=5)


# --- The case actions table --------------------------------------------------------------


def test_case_page_shows_record_past_action_to_staff_and_facilitator(
    client, case, staff, facilitator
):
    for user in (staff, facilitator.user):
        client.force_login(user)
        html = client.get(reverse("fiep_requests:case", args=[case.reference])).content.decode()
        assert f'href="{_url(case)}"' in html, user


def test_case_page_hides_record_past_once_scheduled_or_unaccepted(client, staff, past_meeting):
    client.force_login(staff)
    html = client.get(reverse("fiep_requests:case", args=[past_meeting.request.reference]))
    assert _url(past_meeting.request) not in html.content.decode()
    offered = factories.AssignmentFactory(status=AssignmentStatus.OFFERED)
    html = client.get(reverse("fiep_requests:case", args=[offered.request.reference]))
    assert _url(offered.request) not in html.content.decode()


def test_case_action_handler_refuses_the_link_action(client, case, staff):
    client.force_login(staff)
    url = reverse("fiep_requests:case-action", args=[case.reference, "record-past"])
    assert client.post(url, {}).status_code == 404
