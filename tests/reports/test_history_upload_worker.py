"""Uploads imported by the worker: the files wait in a private folder, the page follows
the progress, a failure shows every problem and nothing is written; and the two write
paths of the import (COPY on PostgreSQL, bulk_create) give the same records."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation
from facilitators.models import Assignment
from fiep.models import Role
from fiep_requests.models import FacilitationRequest, StatusChange
from meetings.models import Meeting
from reports.history import bulk
from reports.history.importer import history_import
from reports.history.services import (
    history_upload_queue,
    history_upload_run,
    history_uploads_sweep,
    progress_key,
    upload_progress,
)
from reports.models import HistoryUpload, ReportStatus
from tests import factories

from .history_helpers import counts, example_files

pytestmark = pytest.mark.django_db

URL = "/reports/history/import/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def uploads(files):
    return {
        name: SimpleUploadedFile(name, data, content_type="text/csv")
        for name, data in files.items()
    }


def test_queued_upload_keeps_the_files_in_a_private_folder_until_the_worker_runs(staff):
    upload = history_upload_queue(files=uploads(example_files()), by=staff)

    assert upload.status == ReportStatus.QUEUED
    assert sorted(p.name for p in upload.folder.iterdir()) == sorted(example_files())
    assert (upload.folder / "meetings.csv").read_bytes() == example_files()["meetings.csv"]
    assert counts()["FacilitationRequest"] == 0

    history_upload_run(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == ReportStatus.DONE
    assert upload.summary["meetings.csv"]["created"] == 8
    assert upload.record.imported_by == staff
    assert not upload.folder.exists()  # files are not kept
    assert history_upload_run(upload_id=upload.pk).status == ReportStatus.DONE  # idempotent


def test_page_of_a_queued_upload_shows_the_progress_bar_and_polls(staff_client, staff):
    upload = history_upload_queue(files=uploads(example_files()), by=staff)

    response = staff_client.get(reverse("reports:history-upload", args=[upload.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress id="import-progress-bar"' in html
    assert "history-progress.js" in html
    assert f'data-progress-url="{URL}{upload.pk}/progress/"' in html
    progress = staff_client.get(f"{URL}{upload.pk}/progress/").json()
    assert progress == {"status": "queued", "finished": False, "done": 0, "total": 0, "percent": 0}


def test_progress_is_reported_while_the_rows_are_processed(staff):
    seen = []
    history_import(files=example_files(), progress=lambda done, total: seen.append((done, total)))
    rows = sum(
        len([line for line in data.splitlines()[1:] if line.strip()])
        for data in example_files().values()
    )
    assert seen[-1] == (rows, rows)
    assert {t for _d, t in seen} == {rows}
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert len(seen) >= len(example_files())


def test_progress_of_a_running_upload_comes_from_the_cache(staff_client, staff):
    from django.core.cache import cache

    from reports.history.services import progress_key

    upload = history_upload_queue(files=uploads(example_files()), by=staff)
    HistoryUpload.objects.filter(pk=upload.pk).update(status=ReportStatus.RUNNING)
    cache.set(progress_key(upload.pk), (50, 200))
    assert upload_progress(upload) == (50, 200)
    data = staff_client.get(f"{URL}{upload.pk}/progress/").json()
    assert data == {"status": "running", "finished": False, "done": 50, "total": 200, "percent": 25}


def test_failed_upload_page_lists_every_problem_and_nothing_is_written(staff_client, staff):
    files = example_files()
    files["evaluations.csv"] += b"MO-404,P-9,parent,,,\n"
    upload = history_upload_queue(files=uploads(files), by=staff)
    history_upload_run(upload_id=upload.pk)

    response = staff_client.get(reverse("reports:history-upload", args=[upload.pk]))

    assert response.status_code == 400
    assert response.context["problems"][0].startswith("evaluations.csv:")
    assert "MO-404" in response.context["problems"][0]
    assert b"nothing was written" in response.content
    assert counts()["FacilitationRequest"] == 0
    assert counts()["District"] == 0
    assert not upload.folder.exists()


def test_unexpected_error_fails_the_upload_with_a_clear_page(staff_client, staff, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("reports.history.services.history_import", boom)
    upload = history_upload_queue(files=uploads(example_files()), by=staff)
    history_upload_run(upload_id=upload.pk)
    upload.refresh_from_db()

    assert upload.status == ReportStatus.FAILED
    assert upload.error == "RuntimeError: disk on fire"
    response = staff_client.get(reverse("reports:history-upload", args=[upload.pk]))
    assert b"The import stopped; nothing was written." in response.content
    assert b"disk on fire" not in response.content  # details stay in the log and the admin


def test_upload_pages_are_staff_only_and_unknown_uploads_404(client, staff_client, staff):
    upload = history_upload_queue(files=uploads(example_files()), by=staff)
    detail = reverse("reports:history-upload", args=[upload.pk])
    progress = reverse("reports:history-upload-progress", args=[upload.pk])

    assert (
        staff_client.get(reverse("reports:history-upload", args=[upload.pk + 1])).status_code == 404
    )
    assert staff_client.get(f"{URL}{upload.pk + 1}/progress/").status_code == 404
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.get(detail).status_code == 403
    assert client.get(progress).status_code == 403
    client.logout()
    assert client.get(detail).status_code == 302
    other_staff = factories.UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(other_staff)  # a statewide job: any program staff may follow it
    assert client.get(detail).status_code == 200


def _records():
    """Every record the import writes, without ids, times and random tokens."""
    return {
        "requests": sorted(
            FacilitationRequest.objects.values_list(
                "reference",
                "status",
                "received_on",
                "requested_by",
                "district__code",
                "imported",
                "consent_state",
                "agreed_on",
            )
        ),
        "history": sorted(
            StatusChange.objects.values_list("request__reference", "to_status", "reason")
        ),
        "meetings": sorted(
            Meeting.objects.values_list(
                "request__reference",
                "status",
                "held_on",
                "consensus",
                "facilitator__email",
                "imported",
                "attendance",
            )
        ),
        "assignments": sorted(
            Assignment.objects.values_list(
                "request__reference", "facilitator__email", "status", "imported"
            )
        ),
        "evaluations": sorted(
            Evaluation.objects.values_list(
                "meeting__request__reference",
                "response_id",
                "source",
                "respondent_role",
                "submitted_on",
                "satisfaction",
                "would_recommend",
                "language",
                "comments",
            ),
            key=repr,
        ),
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's (SQLite: bulk_create only)"
)
def test_copy_and_bulk_create_write_the_same_records(monkeypatch):
    from django.db import transaction

    with transaction.atomic():
        history_import(files=example_files())
        with_copy = _records()
        transaction.set_rollback(True)
    monkeypatch.setattr(bulk, "use_copy", lambda: False)
    history_import(files=example_files())
    assert _records() == with_copy
    assert with_copy["evaluations"]


def _aged(upload, **times):
    HistoryUpload.objects.filter(pk=upload.pk).update(**times)
    upload.refresh_from_db()
    return upload


def test_sweep_fails_an_upload_whose_worker_died_and_deletes_its_files(
    staff_client, staff, settings
):
    """The worker was killed mid-import: its transaction died with it (nothing written);
    the upload must not show "running" for ever, nor keep the student records on disk."""
    settings.FIEP_HISTORY_IMPORT_TIME_LIMIT = 600
    now = timezone.now()
    lost = history_upload_queue(files=uploads(example_files()), by=staff)
    busy = history_upload_queue(files=uploads(example_files()), by=staff)
    lost = _aged(lost, status=ReportStatus.RUNNING, started_at=now - timedelta(seconds=661))
    busy = _aged(busy, status=ReportStatus.RUNNING, started_at=now - timedelta(seconds=659))
    cache.set(progress_key(lost.pk), (10, 100))

    assert history_uploads_sweep(now=now) == 1

    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == ReportStatus.FAILED and lost.finished_at == now
    assert "worker stopped" in lost.error and "Nothing was imported" in lost.error
    assert not lost.folder.exists() and cache.get(progress_key(lost.pk)) is None
    assert busy.status == ReportStatus.RUNNING and busy.folder.exists()
    response = staff_client.get(reverse("reports:history-upload", args=[lost.pk]))
    assert b"The import stopped; nothing was written." in response.content
    assert b'http-equiv="refresh"' not in response.content
    assert counts()["FacilitationRequest"] == 0
    # A task for it that arrives late does nothing.
    assert history_upload_run(upload_id=lost.pk).status == ReportStatus.FAILED
    assert counts()["FacilitationRequest"] == 0


def test_sweep_fails_an_upload_never_started_and_queues_again_a_recent_one(staff, settings):
    settings.FIEP_REPORT_QUEUE_TIMEOUT = 1800
    now = timezone.now()
    waited = history_upload_queue(files=uploads(example_files()), by=staff)
    waiting = history_upload_queue(files=uploads(example_files()), by=staff)
    fresh = history_upload_queue(files=uploads(example_files()), by=staff)
    waited = _aged(waited, created_at=now - timedelta(seconds=1801))
    waiting = _aged(waiting, created_at=now - timedelta(seconds=90))
    fresh = _aged(fresh, created_at=now - timedelta(seconds=30))

    assert history_uploads_sweep(now=now) == 1  # tasks run eagerly here

    for upload in (waited, waiting, fresh):
        upload.refresh_from_db()
    assert waited.status == ReportStatus.FAILED and "not started in time" in waited.error
    assert not waited.folder.exists()
    assert waiting.status == ReportStatus.DONE  # its task never arrived: queued again, run
    assert fresh.status == ReportStatus.QUEUED and fresh.folder.exists()


def test_the_beat_sweep_covers_uploads_and_a_broker_outage_waits_for_the_next_one(
    staff, settings, monkeypatch
):
    from reports import tasks

    settings.FIEP_HISTORY_IMPORT_TIME_LIMIT = 600
    now = timezone.now()
    lost = history_upload_queue(files=uploads(example_files()), by=staff)
    _aged(lost, status=ReportStatus.RUNNING, started_at=now - timedelta(hours=1))
    waiting = history_upload_queue(files=uploads(example_files()), by=staff)
    _aged(waiting, created_at=now - timedelta(minutes=5))

    def broker_down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("reports.history.services.history_upload_enqueue", broker_down)
    assert tasks.runs_sweep() == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == ReportStatus.FAILED
    assert waiting.status == ReportStatus.QUEUED and waiting.folder.exists()
