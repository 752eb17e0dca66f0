"""Background work of the reports app."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="reports.report_generate")
def report_generate(run_id):
    """Generate the file of ReportRun ``run_id`` (see services.report_run_generate)."""
    run = services.report_run_generate(run_id=run_id)
    if run is None:
        logger.info("report run %s is gone; nothing to do", run_id)


@shared_task(name="reports.runs_sweep", ignore_result=True)
def runs_sweep():
    """Fail runs whose worker died or that never started; queue again those waiting."""
    return services.report_runs_sweep()
