"""The Celery application. With no CELERY_BROKER_URL, tasks run eagerly (bin/dev)."""

import logging
import os
import resource

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")

app = Celery("fiep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _seconds(name, default):
    # Read from the environment like the settings of the same name: this module is
    # imported while Django's settings are still loading.
    return float(os.environ.get(name) or default)


# The periodic work of the program. Each task is idempotent, so a missed or doubled beat
# does no harm. Apps register their task names here; a missing task is simply unrouted.
app.conf.beat_schedule = {
    "outbox-sweep": {
        "task": "fiep.outbox_sweep",
        "schedule": _seconds("FIEP_OUTBOX_SWEEP_SECONDS", 60),
    },
    "heartbeat": {"task": "fiep.heartbeat", "schedule": _seconds("FIEP_HEARTBEAT_SECONDS", 30)},
    "report-runs-sweep": {
        "task": "reports.runs_sweep",
        "schedule": _seconds("FIEP_REPORT_SWEEP_SECONDS", 60),
    },
    "intake": {
        "task": "fiep_requests.submissions_file",
        "schedule": _seconds("FIEP_INTAKE_SECONDS", 5),
    },
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
    "evaluation-invitations-sweep": {
        "task": "evaluations.invitations_sweep",
        "schedule": crontab(minute=45),
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


@worker_process_init.connect
def _memory_ceiling(**kwargs):
    """Cap each worker child's address space (FIEP_WORKER_MEMORY_LIMIT_MB, 0 = none): a
    runaway report fails with MemoryError (the run is marked failed) instead of taking
    the machine's memory."""
    limit_mb = getattr(settings, "FIEP_WORKER_MEMORY_LIMIT_MB", 0)
    if limit_mb > 0:
        limit = limit_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        logging.getLogger(__name__).info("worker child memory ceiling: %s MB", limit_mb)
