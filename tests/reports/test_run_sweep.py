"""Report runs never hang: a lost or never-started run becomes "failed" with its reason
and the page offers "Try again"; periods are bounded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep.exceptions import ServiceError
from fiep.schoolyear import current_school_year
from reports.forms import period_problem
from reports.models import ReportRun, ReportStatus
from reports.services import report_run_request, report_runs_sweep

pytestmark = pytest.mark.django_db


def _run(staff, status, **times):
    year = current_school_year()
    run = ReportRun.objects.create(
        requested_by=staff, start=year.start, end=year.end, format="json", status=status
    )
    ReportRun.objects.filter(pk=run.pk).update(**times)
    run.refresh_from_db()
    return run


def test_a_run_whose_worker_died_is_failed_after_the_time_limit(staff, settings, staff_client):
    settings.FIEP_REPORT_STALE_SECONDS = 660
    now = timezone.now()
    lost = _run(staff, ReportStatus.RUNNING, started_at=now - datetime.timedelta(seconds=661))
    busy = _run(staff, ReportStatus.RUNNING, started_at=now - datetime.timedelta(seconds=659))
    assert report_runs_sweep(now=now) == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == ReportStatus.FAILED and "worker stopped" in lost.error
    assert busy.status == ReportStatus.RUNNING
    page = staff_client.get(reverse("reports:run", args=[lost.pk])).content.decode()
    assert "Try again" in page and "worker stopped" in page
    assert 'http-equiv="refresh"' not in page


def test_a_run_never_started_is_failed_after_the_queue_timeout(staff, settings):
    settings.FIEP_REPORT_QUEUE_TIMEOUT = 1800
    now = timezone.now()
    waited = _run(staff, ReportStatus.QUEUED, created_at=now - datetime.timedelta(seconds=1801))
    fresh = _run(staff, ReportStatus.QUEUED, created_at=now - datetime.timedelta(seconds=30))
    report_runs_sweep(now=now)
    waited.refresh_from_db()
    fresh.refresh_from_db()
    assert waited.status == ReportStatus.FAILED and "not started in time" in waited.error
    assert fresh.status == ReportStatus.QUEUED


def test_sweep_queues_again_a_run_whose_task_never_arrived(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    run = _run(staff, ReportStatus.QUEUED, created_at=now - datetime.timedelta(seconds=90))
    report_runs_sweep(now=now)  # tasks run eagerly here: the run is made
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE


def test_period_is_bounded():
    year = current_school_year()
    assert period_problem(year.start, year.end) is None
    assert "ends before it starts" in period_problem(year.end, year.start)
    assert "at most 25 years" in period_problem(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    assert "school years on record" in period_problem(
        year.start - datetime.timedelta(days=1), year.end
    )
    assert "school years on record" in period_problem(
        year.start, year.end + datetime.timedelta(days=1)
    )


def test_run_request_refuses_the_whole_calendar(staff, staff_client):
    with pytest.raises(ServiceError):
        report_run_request(
            requested_by=staff, start=datetime.date(1, 1, 1), end=datetime.date(9999, 12, 31)
        )
    response = staff_client.post(
        reverse("reports:run-create"), {"start": "0001-01-01", "end": "9999-12-31"}
    )
    # Said on the dashboard with the reason; nothing queued.
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")
    assert ReportRun.objects.count() == 0
