"""Background work of the reports app."""

import logging

from celery import shared_task

from . import services
from .history import services as history_services

logger = logging.getLogger(__name__)


@shared_task(name="reports.report_generate")
def report_generate(run_id):
    """Generate the file of ReportRun ``run_id`` (see services.report_run_generate)."""
    run = services.report_run_generate(run_id=run_id)
    if run is None:
        logger.info("report run %s is gone; nothing to do", run_id)


@shared_task(name="reports.runs_sweep", ignore_result=True)
def runs_sweep():
    """Fail report runs and history uploads whose worker died or that never started; queue
    again those waiting."""
    return services.report_runs_sweep() + history_services.history_uploads_sweep()


@shared_task(name="reports.history_import_upload")
def history_import_upload(upload_id):
    """Import the files of HistoryUpload ``upload_id`` (see history.services)."""
    history_services.history_upload_run(upload_id=upload_id)
