"""Run the periodic jobs of the Celery beat schedule in this process, without a broker.

``bin/dev`` starts it in the background so consent reminders and expiry, meeting
reminders, overdue-outcome reminders, evaluation reminders, the outbox sweep and the
retention purge run on a laptop with no Redis and no Celery worker. Production runs
``celery beat`` and a worker instead (see README.md).
"""

import logging
import time

from celery.schedules import schedule as every
from django.core.management.base import BaseCommand

from fiep.celery import app

logger = logging.getLogger(__name__)


def beat_entries():
    """``{name: (task name, schedule)}`` for every entry of the beat schedule."""
    entries = {}
    for name, entry in app.conf.beat_schedule.items():
        schedule = entry["schedule"]
        if not hasattr(schedule, "is_due"):
            schedule = every(run_every=schedule, app=app)
        entries[name] = (entry["task"], schedule)
    return entries


class Command(BaseCommand):
    help = (
        "Run the beat schedule's periodic jobs in this process (no broker needed): each job "
        "once at start, then whenever it is due. --once runs each job once and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between checks (default 30)"
        )

    def handle(self, once, interval, **options):
        app.loader.import_default_modules()  # autodiscover the tasks, as a worker does
        entries = beat_entries()
        last_run = {}
        for name, (task, _schedule) in entries.items():
            self._run(name, task)
            last_run[name] = app.now()
        if once:
            return
        while True:
            time.sleep(interval)
            for name, (task, schedule) in entries.items():
                due, _next = schedule.is_due(last_run[name])
                if due:
                    last_run[name] = app.now()
                    self._run(name, task)

    def _run(self, name, task_name):
        task = app.tasks.get(task_name)
        if task is None:
            self.stderr.write(f"periodic job {name}: task {task_name} is not registered")
            return
        try:
            result = task.apply(throw=True).get()
        except Exception:
            # One failing job must not stop the others; the traceback goes to the log.
            logger.exception("periodic job %s (%s) failed", name, task_name)
            self.stderr.write(f"periodic job {name}: failed (see the log)")
            return
        self.stdout.write(f"periodic job {name}: done ({result!r})")
