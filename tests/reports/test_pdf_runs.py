import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fiep.models import Role
from reports.models import ReportRun, ReportStatus
from reports.services import report_run_generate
from tests import factories

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2016-07-01", "end": "2017-06-30", "format": "pdf"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_generate_pdf_runs_task_after_commit(
    staff_client, staff, history, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(reverse("reports:run-create"), PERIOD)
    assert len(callbacks) == 1
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    assert run.status == ReportStatus.DONE
    assert run.requested_by == staff
    assert run.duration is not None
    assert run.file.name.endswith(".pdf")
    page = staff_client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert "The report is ready." in page
    assert "being generated" not in page
    assert 'http-equiv="refresh"' not in page
    download = staff_client.get(reverse("reports:run-download", args=[run.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_pending_run_page_refreshes(staff_client, staff):
    run = ReportRun.objects.create(
        requested_by=staff, start="2016-07-01", end="2017-06-30", format="pdf"
    )
    page = staff_client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Waiting to start" in page
    assert staff_client.get(reverse("reports:run-download", args=[run.pk])).status_code == 404


def test_generate_is_idempotent_and_records_failure(staff, db, monkeypatch):
    run = ReportRun.objects.create(
        requested_by=staff, start="2016-07-01", end="2017-06-30", format="json"
    )
    report_run_generate(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    first_file = run.file.name
    report_run_generate(run_id=run.pk)
    run.refresh_from_db()
    assert run.file.name == first_file
    assert report_run_generate(run_id=run.pk + 100) is None


def test_failed_run_is_marked(staff, db):
    run = ReportRun.objects.create(
        requested_by=staff, start="2016-07-01", end="2017-06-30", format="xml"
    )
    report_run_generate(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED
    assert "unknown report format" in run.error


def test_run_create_rejects_bad_input(staff_client, db):
    url = reverse("reports:run-create")
    assert staff_client.post(url, {**PERIOD, "format": "exe"}).status_code == 400
    assert staff_client.get(url).status_code == 405
    assert ReportRun.objects.count() == 0


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        ({"end": "2015-01-01"}, "The period ends before it starts."),
        ({"start": "0001-01-01", "end": "9999-12-31"}, "A report covers at most"),
        ({"start": "2001-07-01", "end": "2002-06-30"}, "within the school years on record"),
        ({"start": "2016-13-01"}, "as dates"),
    ],
)
def test_run_create_refuses_a_bad_period_on_the_dashboard_with_the_reason(
    staff_client, history, period, reason
):
    response = staff_client.post(reverse("reports:run-create"), {**PERIOD, **period}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert ReportRun.objects.count() == 0


def test_downloads_are_permission_checked(client, staff, db, settings):
    run = ReportRun.objects.create(
        requested_by=staff, start="2016-07-01", end="2017-06-30", format="json"
    )
    report_run_generate(run_id=run.pk)
    for url in (
        reverse("reports:run-download", args=[run.pk]),
        reverse("reports:run", args=[run.pk]),
        reverse("reports:runs"),
    ):
        assert client.get(url).status_code == 302
        client.force_login(factories.UserFactory(role=Role.FACILITATOR))
        assert client.get(url).status_code == 403
        client.logout()
    client.force_login(factories.admin_user())
    assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 200
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.post(reverse("reports:run-create"), PERIOD).status_code == 403


def test_archive_lists_runs_with_constant_queries(staff_client, staff, query_guard):
    def add(n):
        ReportRun.objects.bulk_create(
            ReportRun(requested_by=staff, start="2016-07-01", end="2017-06-30") for _ in range(n)
        )

    response = query_guard(8, lambda: staff_client.get(reverse("reports:runs")), add=add, many=31)
    assert response.content.decode().count("2016-07-01 – 2017-06-30") == 25


def test_stalled_run_stops_refreshing(staff_client, staff):
    import datetime

    from django.utils import timezone

    run = ReportRun.objects.create(requested_by=staff, start="2016-07-01", end="2017-06-30")
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportStatus.RUNNING, created_at=timezone.now() - datetime.timedelta(days=1)
    )
    page = staff_client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Try again" in page


def test_report_generate_task_by_name(staff, history):
    from fiep.celery import app
    from reports.tasks import report_generate

    assert report_generate.name == "reports.report_generate"
    assert "reports.report_generate" in app.tasks
    run = ReportRun.objects.create(
        requested_by=staff, start="2016-07-01", end="2017-06-30", format="csv"
    )
    report_generate.delay(run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    assert b"meetings,held,15" in run.file.read()
    report_generate.delay(run.pk + 1000)  # a vanished run is logged and ignored


@pytest.mark.parametrize(("public", "has_facilitators"), [("on", False), (None, True)])
def test_public_report_run_leaves_out_per_facilitator_results(
    staff_client, history, django_capture_on_commit_callbacks, public, has_facilitators
):
    data = {**PERIOD, "public": public} if public else PERIOD
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:run-create"), data)
    run = ReportRun.objects.get()
    assert run.public is (public == "on")
    assert run.status == ReportStatus.DONE
    with run.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    assert ("By facilitator" in text) is has_facilitators
    assert "By district" in text
    page = staff_client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert ("Public (no per-facilitator results)" in page) is (public == "on")


def _run_pdf_text(client, run):
    import io

    from pypdf import PdfReader

    download = client.get(reverse("reports:run-download", args=[run.pk]))
    data = b"".join(download.streaming_content)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_administrator_adds_an_introduction_and_notes_stored_with_the_run(
    admin_client_, history, django_capture_on_commit_callbacks
):
    texts = {"introduction": "Prepared for the Joint Committee on Education.", "notes": "Draft"}
    dashboard = admin_client_.get(reverse("reports:dashboard")).content.decode()
    assert 'name="introduction"' in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(reverse("reports:run-create"), {**PERIOD, **texts})
    run = ReportRun.objects.get()
    assert (run.introduction, run.notes, run.language) == (texts["introduction"], "Draft", "en")
    text = _run_pdf_text(admin_client_, run)
    assert "Introduction Prepared for the Joint Committee on Education." in text
    assert text.rstrip(" 0123456789/").endswith("Notes Draft")
    # made again from the archived run: the same texts, in the run's language
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.FAILED)
    with translation.override("es"):
        report_run_generate(run_id=run.pk)
    run.refresh_from_db()
    assert "Introduction Prepared for the Joint Committee" in _run_pdf_text(admin_client_, run)


def test_office_staff_cannot_add_an_introduction(
    staff_client, history, django_capture_on_commit_callbacks
):
    assert (
        'name="introduction"' not in staff_client.get(reverse("reports:dashboard")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:run-create"), {**PERIOD, "introduction": "Mine"})
    run = ReportRun.objects.get()
    assert run.introduction == ""
    assert "Mine" not in _run_pdf_text(staff_client, run)


def test_spanish_run_prints_in_spanish(staff_client, history, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:run-create"), PERIOD, HTTP_ACCEPT_LANGUAGE="es")
    run = ReportRun.objects.get()
    assert run.language == "es"
    assert "Acerca de estas cifras" in _run_pdf_text(staff_client, run)
