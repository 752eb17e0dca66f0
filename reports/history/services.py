"""Writes of the history part of reports: the dispute-resolution statistics and the
uploads the worker imports. (The import's own writes are in ``importer.history_import``.)
"""

import datetime
import logging
import shutil

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fiep.broker import enqueue_each, enqueue_with_options
from fiep.exceptions import ServiceError
from reports.models import HistoryUpload, ReportStatus

from .importer import HistoryImportError, history_import

logger = logging.getLogger(__name__)


def dispute_statistics_save(*, statistics):
    """Create or update one school year's dispute-resolution statistics.

    ``statistics`` is an unsaved or changed :class:`reports.models.DisputeStatistics`
    (checked by ``DisputeStatisticsForm``). The unique school year is guarded by the
    database too: a concurrent entry of the same year raises ServiceError.
    Side effects: none besides the row.
    """
    try:
        with transaction.atomic():
            statistics.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("There are already statistics for %(year)s: edit that school year instead.")
            % {"year": statistics.school_year},
            field="school_year",
        ) from exc
    return statistics


def progress_key(upload_id):
    return f"history-upload-progress:{upload_id}"


def upload_progress(upload):
    """``(rows done, rows in all files)`` of a running upload, or None. Kept in the cache:
    the import's own transaction hides its writes until it commits."""
    return cache.get(progress_key(upload.pk))


def history_upload_queue(*, files, by, dry_run=False):
    """Keep uploaded history files for the worker and queue their import.

    ``files`` maps a history file name to an uploaded file (Django has already streamed a
    large one to a temporary file). Side effects: creates a :class:`HistoryUpload`
    (queued), copies each file in chunks to the upload's private folder, and after commit
    queues ``reports.history_import_upload`` (a broker outage leaves it queued and
    says so on its page).
    """
    with transaction.atomic():
        upload = HistoryUpload.objects.create(uploaded_by=by, dry_run=dry_run, files=list(files))
        upload.folder.mkdir(parents=True, exist_ok=True)
        for name, uploaded in files.items():
            with open(upload.folder / name, "wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
        transaction.on_commit(lambda: history_upload_enqueue(upload_id=upload.pk), robust=True)
    return upload


def history_upload_enqueue(*, upload_id):
    limit = settings.FIEP_HISTORY_IMPORT_TIME_LIMIT
    return enqueue_with_options(
        current_app.tasks["reports.history_import_upload"],  # by name: task modules are leaves
        (upload_id,),
        time_limit=limit,
        soft_time_limit=max(limit - 30, 1),
    )


def history_upload_run(*, upload_id):
    """Import the files of a queued upload (the worker's task). Idempotent: an upload
    already running or finished is left alone.

    Side effects: the import's (one transaction, all or nothing); the upload records its
    progress (in the cache), then its summary or its problems, and its files are deleted.
    """
    with transaction.atomic():
        upload = HistoryUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status != ReportStatus.QUEUED:
            return upload
        upload.status = ReportStatus.RUNNING
        upload.started_at = timezone.now()
        upload.save(update_fields=["status", "started_at"])
    step = {"next": 0}

    def progress(done, total):
        if done >= step["next"] or done == total:
            cache.set(progress_key(upload.pk), (done, total), 3600)
            step["next"] = done + max(total // 100, 1000)

    try:
        result = history_import(
            files={name: upload.folder / name for name in upload.files},
            imported_by=upload.uploaded_by,
            dry_run=upload.dry_run,
            progress=progress,
        )
    except HistoryImportError as exc:
        upload.status, upload.problems = ReportStatus.FAILED, exc.problems
    except Exception as exc:  # noqa: BLE001 - recorded on the upload's page
        logger.exception("history upload %s failed", upload.pk)
        upload.status = ReportStatus.FAILED
        upload.error = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        upload.status, upload.summary, upload.record = (
            ReportStatus.DONE,
            result.summary,
            result.record,
        )
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)
        cache.delete(progress_key(upload.pk))
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "problems", "summary", "record", "error", "finished_at"])
    return upload


#: Why the sweeper failed an upload (shown on its page; nothing was imported in either case).
UPLOAD_LOST = (
    "The worker stopped during the import (it crashed, ran out of memory or passed the "
    "time limit). Nothing was imported: the import is all or nothing. Upload the files "
    "again."
)
UPLOAD_NOT_STARTED = (
    "The import was not started in time: the background worker may be stopped. Nothing "
    "was imported. Upload the files again."
)


def history_uploads_sweep(*, now=None):
    """Make sure no upload waits for ever (beat, with the report runs' sweep).

    Side effects: an upload "running" for longer than FIEP_HISTORY_IMPORT_TIME_LIMIT + 60 s
    (its worker died or was killed: the import's one transaction was rolled back with it)
    and one still "queued" after FIEP_REPORT_QUEUE_TIMEOUT become "failed" with the reason,
    and their files (student records) are deleted; uploads queued for over a minute are
    queued again (the broker may have been down; a duplicate task finds the upload taken
    and does nothing). Returns the number of uploads marked failed.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.FIEP_HISTORY_IMPORT_TIME_LIMIT + 60)
    waited = now - datetime.timedelta(seconds=settings.FIEP_REPORT_QUEUE_TIMEOUT)
    failed = []
    for status, since, field, error in (
        (ReportStatus.RUNNING, stale, "started_at__lt", UPLOAD_LOST),
        (ReportStatus.QUEUED, waited, "created_at__lt", UPLOAD_NOT_STARTED),
    ):
        stuck = HistoryUpload.objects.filter(status=status, **{field: since})
        for upload in stuck.only("pk"):
            # One at a time, the status in the filter again: an upload the worker took
            # meanwhile is left alone (and keeps its files).
            if HistoryUpload.objects.filter(pk=upload.pk, status=status).update(
                status=ReportStatus.FAILED, finished_at=now, error=error
            ):
                shutil.rmtree(upload.folder, ignore_errors=True)
                cache.delete(progress_key(upload.pk))
                failed.append(upload.pk)
    if failed:
        logger.warning("history uploads sweep: uploads %s failed", failed)
    enqueue_each(
        HistoryUpload.objects.filter(
            status=ReportStatus.QUEUED, created_at__lt=now - datetime.timedelta(seconds=60)
        ).values_list("pk", flat=True),
        lambda upload_id: history_upload_enqueue(upload_id=upload_id),
        what="history uploads sweep",
    )
    return len(failed)
