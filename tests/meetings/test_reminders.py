import datetime

import pytest

from fiep.models import OutboxMessage
from meetings import services
from meetings.models import MeetingStatus
from tests import factories

from .conftest import local

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _meeting(start, scheduled_at):
    meeting = factories.MeetingFactory(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        scheduled_at=scheduled_at,
        facilitator=factories.FacilitatorFactory(with_user=True),
    )
    factories.ParticipantFactory(meeting=meeting, language="es")
    factories.ParticipantFactory(meeting=meeting, role="administrator")
    return meeting


@pytest.fixture
def chicago(settings):
    settings.TIME_ZONE = "America/Chicago"


def test_reminder_due_times_follow_wall_clock_across_dst_end(chicago):
    # DST ends on Sunday 1 November 2026: the meeting at 10:00 CST is 16:00 UTC, and its
    # 7-day reminder is due at 10:00 CDT on 29 October, which is 15:00 UTC (not 16:00).
    meeting = _meeting(
        local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC)
    )
    assert meeting.starts_at.astimezone(UTC).hour == 16
    due = services.reminder_due_times(meeting)
    assert due[7].astimezone(UTC) == datetime.datetime(2026, 10, 29, 15, 0, tzinfo=UTC)
    assert due[1].astimezone(UTC) == datetime.datetime(2026, 11, 4, 16, 0, tzinfo=UTC)


def test_reminder_due_times_across_dst_start(chicago):
    # DST starts on 8 March 2026: a 9:00 CDT meeting on 12 March is 14:00 UTC; the 7-day
    # reminder is due at 9:00 CST on 5 March = 15:00 UTC.
    meeting = _meeting(
        local(2026, 3, 12, 9), scheduled_at=datetime.datetime(2026, 2, 1, tzinfo=UTC)
    )
    due = services.reminder_due_times(meeting)
    assert due[7].astimezone(UTC) == datetime.datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


def test_reminders_send_at_local_time_across_dst(chicago):
    meeting = _meeting(
        local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC)
    )
    # 14:30 UTC on 29 October is 9:30 CDT: not yet due.
    assert services.reminders_send(now=datetime.datetime(2026, 10, 29, 14, 30, tzinfo=UTC)) == 0
    # 15:30 UTC is 10:30 CDT: due (naive "starts_at - 7 days" would wait until 16:00 UTC).
    assert services.reminders_send(now=datetime.datetime(2026, 10, 29, 15, 30, tzinfo=UTC)) == 1
    messages = OutboxMessage.objects.filter(event="meeting_reminder")
    assert messages.count() == 3  # two participants and the facilitator
    assert sorted(messages.values_list("language", flat=True)) == ["en", "en", "es"]
    assert all(f":reminder:{meeting.sequence}:7:" in m.dedupe_key for m in messages)


def test_reminders_send_is_idempotent_hour_after_hour(chicago):
    _meeting(local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC))
    for hour in (16, 17, 18):
        services.reminders_send(now=datetime.datetime(2026, 10, 29, hour, 30, tzinfo=UTC))
    assert OutboxMessage.objects.filter(event="meeting_reminder").count() == 3


def test_one_day_reminder_sent_after_seven_day(chicago):
    _meeting(local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC))
    services.reminders_send(now=datetime.datetime(2026, 10, 29, 15, 30, tzinfo=UTC))
    services.reminders_send(now=datetime.datetime(2026, 11, 4, 16, 30, tzinfo=UTC))
    keys = OutboxMessage.objects.filter(event="meeting_reminder").values_list(
        "dedupe_key", flat=True
    )
    assert sum(":reminder:0:1:" in k for k in keys) == 3
    assert sum(":reminder:0:7:" in k for k in keys) == 3


def test_late_scheduled_meeting_gets_no_stale_seven_day_reminder(chicago):
    # Scheduled three days before: only the 1-day reminder applies.
    _meeting(local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 11, 2, tzinfo=UTC))
    assert services.reminders_send(now=datetime.datetime(2026, 11, 3, 12, 0, tzinfo=UTC)) == 0
    assert services.reminders_send(now=datetime.datetime(2026, 11, 4, 16, 30, tzinfo=UTC)) == 1


def test_cancelled_meeting_gets_no_reminder(chicago):
    meeting = _meeting(
        local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC)
    )
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    assert services.reminders_send(now=datetime.datetime(2026, 10, 29, 15, 30, tzinfo=UTC)) == 0


def test_reminders_task_runs(chicago):
    from meetings.tasks import reminders_send

    assert reminders_send.apply().get() == 0


def test_withdrawn_case_gets_no_reminder(chicago):
    meeting = _meeting(
        local(2026, 11, 5, 10), scheduled_at=datetime.datetime(2026, 10, 1, tzinfo=UTC)
    )
    meeting.request.status = "withdrawn"
    meeting.request.save()
    assert services.reminders_send(now=datetime.datetime(2026, 10, 29, 15, 30, tzinfo=UTC)) == 0
