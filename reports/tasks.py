"""Background work of the reports app."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="reports.report_generate")
def report_generate(run_id):
    """Generate the file of ReportRun ``run_id`` (see services.report_run_generate)."""
    from .services import report_run_generate

    run = report_run_generate(run_id=run_id)
    if run is None:
        logger.info("report run %s is gone; nothing to do", run_id)


@shared_task(name="reports.runs_sweep", ignore_result=True)
def runs_sweep():
    """Fail runs whose worker died or that never started; queue again those waiting."""
    from .services import report_runs_sweep

    return report_runs_sweep()
