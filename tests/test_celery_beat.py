"""Every periodic task the beat schedules is a task the worker knows."""

from fiep.celery import app


def test_beat_schedule_tasks_all_registered():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    scheduled = sorted(entry["task"] for entry in app.conf.beat_schedule.values())
    missing = [name for name in scheduled if name not in app.tasks]
    assert missing == []


def test_beat_schedule_runs_follow_ups_on_their_own_entry():
    entry = app.conf.beat_schedule["evaluation-follow-ups"]
    assert entry["task"] == "evaluations.follow_ups_send"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {30})
