"""An uploaded program history imported by a real Celery worker (Redis, PostgreSQL), the
way the page does it: the files wait in the private folder, the worker imports them in
one transaction, the upload records the summary and the files are deleted.

Run by .ci/run with DATABASE_URL and CELERY_BROKER_URL set (marker integration).
"""

import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from fiep_requests.models import FacilitationRequest
from reports.history.services import history_upload_queue
from reports.models import HistoryUpload, ReportStatus
from tests import factories
from tests.integration.test_celery_worker import pytestmark, worker  # noqa: F401
from tests.reports.history_helpers import example_files


def _wait(upload, worker_dir):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        upload.refresh_from_db()
        if upload.finished:
            return upload
        time.sleep(0.5)
    raise AssertionError((worker_dir / "worker.log").read_text()[-3000:])


def _uploads(files):
    return {name: SimpleUploadedFile(name, data) for name, data in files.items()}


def test_worker_imports_an_upload_and_deletes_its_files(worker):  # noqa: F811
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    staff = factories.staff_user()
    upload = history_upload_queue(files=_uploads(example_files()), by=staff)
    folder = upload.folder

    upload = _wait(upload, worker)

    assert upload.status == ReportStatus.DONE, upload.error
    assert upload.summary["meetings.csv"]["created"] == 8
    assert FacilitationRequest.objects.filter(imported=True).count() == 8
    assert not folder.exists()


def test_worker_reports_problems_and_writes_nothing(worker):  # noqa: F811
    files = example_files()
    files["meetings.csv"] += b"MO-9,999-999,2017-02-01,parent,,cancelled,2017-03-01,\n"
    upload = history_upload_queue(files=_uploads(files), by=factories.staff_user())

    upload = _wait(upload, worker)

    assert upload.status == ReportStatus.FAILED
    assert any(p.startswith("meetings.csv:10: column district_code") for p in upload.problems)
    assert not FacilitationRequest.objects.exists()
    assert HistoryUpload.objects.get(pk=upload.pk).record is None
