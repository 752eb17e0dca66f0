import datetime

import pytest
from django.utils import timezone

from evaluations.models import EvaluationInvitation
from fiep.exceptions import ServiceError
from fiep.models import OutboxMessage
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.models import HeldResult, Meeting, MeetingStatus
from meetings.selectors import overdue_outcomes
from meetings.signals import outcome_recorded
from tests import factories

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, meeting, **kwargs):
        calls.append(meeting.pk)

    outcome_recorded.connect(receiver, dispatch_uid="test-outcome-receiver")
    yield calls
    outcome_recorded.disconnect(dispatch_uid="test-outcome-receiver")


def _record(meeting, **overrides):
    values = {
        "meeting": meeting,
        "by": meeting.facilitator.user,
        "held": HeldResult.HELD,
        "actual_start": datetime.time(10, 5),
        "actual_end": datetime.time(11, 50),
        "attendees_by_role": {"parent": 2, "administrator": 1},
        "consensus": "some",
        "issues": [("Reading services", True), ("Placement", False)],
        "iep_completed": True,
        "next_step": "reconvene",
        "private_notes": "Tense start.",
        "shared_summary": "Agreed on reading minutes.",
    }
    values.update(overrides)
    return services.outcome_record(**values)


def test_outcome_held_sets_held_on_and_moves_request(
    past_meeting, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _record(past_meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.held_on == (in_days(-2)).date()
    assert meeting.consensus == "some"
    assert meeting.request.status == RequestStatus.HELD
    assert list(meeting.issues.values_list("description", "resolved")) == [
        ("Reading services", True),
        ("Placement", False),
    ]
    assert meeting.attendance == {"parent": 2, "administrator": 1}
    attended = dict(meeting.participants.values_list("role", "attended"))
    assert attended == {"parent": True, "administrator": True}
    assert received == [meeting.pk]


def test_outcome_signal_waits_for_commit(
    past_meeting, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _record(past_meeting)
    assert received == []
    for callback in callbacks:
        callback()
    assert received == [past_meeting.pk]


def test_outcome_signal_not_sent_when_transaction_rolls_back(
    past_meeting, received, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _record(past_meeting)
        raise RuntimeError("boom")
    assert received == []
    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.SCHEDULED


def test_outcome_refused_before_the_meeting_day(facilitator):
    start = in_days(1)
    meeting = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    with pytest.raises(ServiceError, match="once the meeting has started"):
        _record(meeting)


@pytest.fixture
def meeting_at_ten_today(facilitator):
    start = in_days(0, hour=10)
    meeting = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    factories.ParticipantFactory(meeting=meeting, role="parent", email="p@example.org")
    return meeting


def _clock_at(monkeypatch, moment):
    """Django's clock reads ``moment`` (an aware datetime)."""
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))


def test_outcome_refused_a_minute_before_the_start_on_the_same_day(
    meeting_at_ten_today, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = meeting_at_ten_today
    _clock_at(monkeypatch, meeting.starts_at - datetime.timedelta(minutes=1))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ServiceError, match="once the meeting has started") as refused,
    ):
        _record(meeting)
    assert "10:00" in str(refused.value) or "10 a.m." in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.outcome_recorded_at is None
    assert not EvaluationInvitation.objects.filter(meeting=meeting).exists()


def test_outcome_allowed_at_the_start_time_and_surveys_go_out(
    meeting_at_ten_today, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = meeting_at_ten_today
    _clock_at(monkeypatch, meeting.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert _record(meeting).status == MeetingStatus.HELD
    assert EvaluationInvitation.objects.filter(meeting=meeting).exists()


def test_outcome_allowed_on_the_meeting_day(facilitator, django_capture_on_commit_callbacks):
    start = in_days(0, hour=0)
    meeting = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(minutes=30)
    )
    assert _record(meeting).status == MeetingStatus.HELD


def test_outcome_refused_for_cancelled_meeting(past_meeting):
    past_meeting.status = MeetingStatus.CANCELLED
    past_meeting.save()
    with pytest.raises(ServiceError, match="cancelled meeting"):
        _record(past_meeting)


def test_outcome_refused_twice(past_meeting, django_capture_on_commit_callbacks):
    _record(past_meeting)
    with pytest.raises(ServiceError, match="already recorded"):
        _record(Meeting.objects.get(pk=past_meeting.pk))


def test_outcome_held_needs_consensus_consistent_with_issues(past_meeting):
    with pytest.raises(ServiceError):
        _record(past_meeting, consensus="")
    with pytest.raises(ServiceError):
        _record(past_meeting, consensus="all")  # one issue is not resolved
    with pytest.raises(ServiceError):
        _record(past_meeting, consensus="none")  # one issue is resolved
    with pytest.raises(ServiceError):
        _record(past_meeting, actual_start=datetime.time(12), actual_end=datetime.time(11))


def test_outcome_no_show_cancels_request_without_signal(
    past_meeting, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _record(past_meeting, held=HeldResult.NO_SHOW, consensus="", issues=[])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NO_SHOW
    assert meeting.held_on is None
    assert meeting.request.status == RequestStatus.CANCELLED
    assert received == []


def test_outcome_cancelled_at_table(past_meeting):
    meeting = _record(past_meeting, held=HeldResult.CANCELLED_AT_TABLE, consensus="", issues=[])
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.held_result == "cancelled_at_table"


def _meeting_days_ago(days, **kwargs):
    start = in_days(-days)
    return factories.MeetingFactory(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        facilitator=factories.FacilitatorFactory(with_user=True),
        **kwargs,
    )


def test_overdue_outcomes_after_due_days(settings):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    on_time = _meeting_days_ago(15)
    late = _meeting_days_ago(16)
    _meeting_days_ago(30, status=MeetingStatus.CANCELLED)
    recorded = _meeting_days_ago(40)
    _record(recorded)
    assert list(overdue_outcomes()) == [late]
    assert on_time not in overdue_outcomes()


def test_overdue_outcomes_remind_facilitator_once_a_week(settings):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    late = _meeting_days_ago(16)
    assert services.overdue_outcomes_remind() == 1
    assert services.overdue_outcomes_remind() == 1
    messages = OutboxMessage.objects.filter(event="outcome_overdue")
    assert messages.count() == 1
    message = messages.get()
    assert message.recipient_email == late.facilitator.email
    assert f"/meetings/{late.pk}/outcome/" in message.body_text
    services.overdue_outcomes_remind(
        today=services.outcome_due_on(late) + datetime.timedelta(days=8)
    )
    assert OutboxMessage.objects.filter(event="outcome_overdue").count() == 2


def test_overdue_task_runs(settings):
    from meetings.tasks import overdue_outcomes_remind

    assert overdue_outcomes_remind.apply().get() == 0


def test_overdue_outcomes_skip_withdrawn_cases(settings):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    late = _meeting_days_ago(20)
    late.request.status = "withdrawn"
    late.request.save()
    assert list(overdue_outcomes()) == []


def test_outcome_for_withdrawn_case_is_refused_cleanly(past_meeting):
    past_meeting.request.status = "withdrawn"
    past_meeting.request.save()
    with pytest.raises(ServiceError, match="no longer be changed"):
        _record(past_meeting)
    past_meeting.refresh_from_db()
    assert past_meeting.outcome_recorded_at is None


def test_a_failure_inviting_after_the_commit_keeps_the_outcome_and_the_sweep_invites_later(
    past_meeting, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The invitations are made after the outcome's commit: an error there must not turn
    a recorded outcome into an error (it is saved), and the hourly sweep invites later."""
    from evaluations import services as evaluation_services

    factories.ParticipantFactory(meeting=past_meeting, role="parent", email="p@example.org")
    real_send = evaluation_services.invitations_send

    def database_blip(**kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(evaluation_services, "invitations_send", database_blip)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _record(past_meeting)  # no exception reaches the caller
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert not EvaluationInvitation.objects.filter(meeting=meeting).exists()
    assert "connection lost" in caplog.text

    monkeypatch.setattr(evaluation_services, "invitations_send", real_send)
    soon = meeting.outcome_recorded_at + datetime.timedelta(minutes=5)
    assert evaluation_services.invitations_sweep(now=soon) == 0  # the hook may still run
    later = meeting.outcome_recorded_at + datetime.timedelta(minutes=11)
    made = evaluation_services.invitations_sweep(now=later)
    invited = set(
        EvaluationInvitation.objects.filter(meeting=meeting).values_list("email", flat=True)
    )
    assert made == len(invited) and "p@example.org" in invited
    assert evaluation_services.invitations_sweep(now=later) == 0  # once
