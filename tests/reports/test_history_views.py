import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fiep.models import Role
from fiep_requests.models import FacilitationRequest
from reports.history.formats import MAX_FILE_BYTES
from reports.models import HistoryImport, HistoryUpload
from tests import factories

from .history_helpers import counts, example_files

pytestmark = pytest.mark.django_db

URL = "/reports/history/import/"


def submit(client, capture, data):
    """POST the upload form, let the worker (eager here) import after commit, and open
    the upload's page it redirects to."""
    with capture(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302, response.content
    upload = HistoryUpload.objects.latest("pk")
    assert response["Location"] == f"{URL}{upload.pk}/"
    return client.get(response["Location"])


def uploads(files):
    return [SimpleUploadedFile(name, data, content_type="text/csv") for name, data in files.items()]


def test_history_import_url_name():
    assert reverse("reports:history-import") == URL


def test_history_upload_page_shows_form(staff_client):
    response = staff_client.get(URL)

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b"multiple" in response.content
    assert response["Cache-Control"].startswith("max-age=0")


def test_history_upload_imports_all_files(staff_client, staff, django_capture_on_commit_callbacks):
    response = submit(
        staff_client, django_capture_on_commit_callbacks, {"files": uploads(example_files())}
    )

    assert response.status_code == 200
    assert response.context["problems"] == []
    assert response.context["result"].summary["meetings.csv"]["created"] == 8
    assert b"The history was imported" in response.content
    assert FacilitationRequest.objects.count() == 8
    assert HistoryImport.objects.get().imported_by == staff


def test_history_upload_dry_run_writes_nothing(admin_client_, django_capture_on_commit_callbacks):
    response = submit(
        admin_client_,
        django_capture_on_commit_callbacks,
        {"files": uploads(example_files()), "dry_run": "on"},
    )

    assert response.status_code == 200
    assert response.context["result"].dry_run is True
    assert b"nothing was written" in response.content
    assert counts()["FacilitationRequest"] == 0
    assert counts()["HistoryImport"] == 0


def test_history_upload_shows_every_problem(staff_client, django_capture_on_commit_callbacks):
    files = example_files()
    files["meetings.csv"] += b"MO-9,999-999,2017-02-01,parent,,cancelled,2017-03-01,\n"

    response = submit(staff_client, django_capture_on_commit_callbacks, {"files": uploads(files)})

    assert response.status_code == 400
    assert response.context["problems"] == [
        "meetings.csv:10: column district_code: unknown district '999-999' (not in "
        "districts.csv nor in the database)",
        "meetings.csv:10: column meeting_date: must be empty unless the status is held "
        "(the status is cancelled)",
    ]
    assert b"meetings.csv:10: column district_code" in response.content
    assert counts()["District"] == 0


def test_history_upload_refuses_unknown_name_and_path_tricks(staff_client):
    response = staff_client.post(
        URL,
        {
            "files": [
                SimpleUploadedFile("people.csv", b"a,b\n"),
                SimpleUploadedFile("../../etc/districts.csv", b"code,name,region\n1,A,B\n"),
            ]
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "people.csv is not one of the history files (districts.csv, facilitators.csv, "
        "meetings.csv, evaluations.csv, dispute_stats.csv)."
    ]
    assert counts()["District"] == 0


def test_history_upload_takes_200_mb_and_refuses_more(staff_client, monkeypatch):
    assert MAX_FILE_BYTES == 200 * 1024 * 1024
    monkeypatch.setattr("reports.history.forms.MAX_FILE_BYTES", 1024)  # the same rule, small
    big = b"code,name,region\n" + b"x" * 1024

    response = staff_client.post(URL, {"files": [SimpleUploadedFile("districts.csv", big)]})

    assert response.context["form"].errors["files"] == ["districts.csv is larger than 1.0\xa0KB."]
    assert not HistoryUpload.objects.exists()


def test_history_upload_refuses_binary_file(staff_client, django_capture_on_commit_callbacks):
    response = submit(
        staff_client,
        django_capture_on_commit_callbacks,
        {"files": [SimpleUploadedFile("districts.csv", b"\x89PNG\r\n\x1a\n\xff\xfe")]},
    )

    assert response.status_code == 400
    assert response.context["problems"] == [
        "districts.csv:1: the file is not UTF-8 text (save it as CSV UTF-8)"
    ]


def test_history_upload_requires_a_file(staff_client):
    response = staff_client.post(URL, {})

    assert response.status_code == 200
    assert "files" in response.context["form"].errors


def test_history_upload_facilitator_forbidden(client):
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": uploads(example_files())}).status_code == 403
    assert counts()["District"] == 0


def test_history_upload_liaison_forbidden(client, district):
    client.force_login(factories.liaison_user(district))

    assert client.get(URL).status_code == 403


def test_history_upload_anonymous_redirected_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_history_upload_past_imports_query_count(staff_client, query_guard):
    def add(n):
        for _ in range(n):
            HistoryImport.objects.create(
                imported_by=factories.staff_user(), summary={"districts.csv": {"created": 1}}
            )

    HistoryImport.objects.create(summary={"districts.csv": {"created": 1}})
    query_guard(7, lambda: staff_client.get(URL), add=add, many=13)
