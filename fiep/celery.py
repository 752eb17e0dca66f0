"""The Celery application. With no CELERY_BROKER_URL, tasks run eagerly (bin/dev)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")

app = Celery("fiep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic work of the program. Each task is idempotent, so a missed or doubled beat
# does no harm. Apps register their task names here; a missing task is simply unrouted.
app.conf.beat_schedule = {
    "outbox-sweep": {"task": "fiep.outbox_sweep", "schedule": 120.0},
    "consent-reminders": {"task": "fiep_requests.consent_sweep", "schedule": crontab(minute=15)},
    "meeting-reminders": {"task": "meetings.reminders_send", "schedule": crontab(minute=30)},
    "overdue-outcomes": {
        "task": "meetings.overdue_outcomes_remind",
        "schedule": crontab(hour=7, minute=0),
    },
    "evaluation-follow-ups": {
        "task": "evaluations.follow_ups_send",
        "schedule": crontab(hour=8, minute=30),
    },
    "evaluation-reminders": {
        "task": "evaluations.reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    "retention-purge": {
        "task": "fiep_requests.retention_purge",
        "schedule": crontab(hour=2, minute=0),
    },
}
