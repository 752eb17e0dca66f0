import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationInvitation, FollowUp
from fiep.models import AccessLog, OutboxMessage, OutboxStatus
from fiep_requests.enums import RETENTION_CATEGORIES
from fiep_requests.models import (
    DestructionCertificate,
    DestructionReason,
    FacilitationRequest,
    StatusChange,
)
from fiep_requests.retention import (
    destruction_request,
    expired_requests,
    student_data_purge,
)
from fiep_requests.services import ServiceError
from fiep_requests.tasks import retention_purge
from meetings.models import Meeting, Participant
from tests.factories import DistrictFactory, FacilitationRequestFactory, liaison_user, staff_user

from .retention_helpers import MARK, final_since, full_case, tables_with_mark

pytestmark = pytest.mark.django_db


def _snapshot_access_log():
    return list(AccessLog.objects.order_by("id").values())


def test_purge_removes_identifying_data_from_every_table():
    case = full_case()
    assert set(tables_with_mark()) >= {
        "fiep_requests.FacilitationRequest",
        "fiep_requests.CaseNote",
        "fiep_requests.StatusChange",
        "fiep_requests.HistoricalFacilitationRequest",
        "fiep.OutboxMessage",
        "facilitators.Assignment",
        "facilitators.Objection",
        "meetings.Meeting",
        "meetings.Participant",
        "meetings.OutcomeIssue",
        "meetings.MeetingChange",
        "meetings.TimeEntry",
        "evaluations.EvaluationInvitation",
        "evaluations.Evaluation",
        "evaluations.FollowUp",
        "evaluations.FacilitatorSelfEvaluation",
    }
    result = student_data_purge()
    assert result.cases == {DestructionReason.RETENTION: [case.reference]}
    assert tables_with_mark() == {}
    case.refresh_from_db()
    assert case.student_birth_date is None
    assert case.identifying_data_purged_at is not None


def test_purge_keeps_the_deidentified_facts():
    case = full_case(agreed_on=datetime.date(2019, 4, 1))
    meeting = case.meeting
    before = FacilitationRequest.objects.filter(pk=case.pk).values(
        "reference", "district", "received_on", "status", "requested_by", "agreed_on",
        "disability_category", "meeting_type", "concerns", "consent_state", "signature_date",
    )[0]  # fmt: skip
    student_data_purge()
    after = FacilitationRequest.objects.filter(pk=case.pk).values(*before)[0]
    assert after == before
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on, meeting.consensus) == ("held", meeting.held_on, "all")
    assert meeting.attendance == {"parent": 1, "special_educator": 2}
    assert list(Participant.objects.filter(meeting=meeting).values_list("role", flat=True)) == [
        "parent"
    ]
    assert EvaluationInvitation.objects.filter(meeting=meeting).count() == 2
    evaluation = Evaluation.objects.get(meeting=meeting)
    assert (evaluation.satisfaction, evaluation.would_recommend) == ("satisfied", True)
    assert FollowUp.objects.get(meeting=meeting).agreements_held == "yes"
    assert StatusChange.objects.filter(request=case).count() == 1


def test_purge_keeps_the_access_log_untouched():
    full_case()
    before = _snapshot_access_log()
    assert before
    student_data_purge()
    assert _snapshot_access_log() == before


def test_purge_outbox_messages_are_emptied_and_never_sent():
    case = full_case()
    student_data_purge()
    message = OutboxMessage.objects.get(case_reference=case.reference)
    assert (message.recipient_email, message.subject, message.body_text) == ("", "", "")
    assert message.attachments == []
    assert message.status == OutboxStatus.CANCELLED
    assert message.next_attempt_at is None


def test_purge_rotates_private_links():
    case = full_case()
    old_status, old_consent = case.status_token, case.consent_token
    student_data_purge()
    case.refresh_from_db()
    assert case.status_token != old_status
    assert case.consent_token != old_consent


def test_purge_writes_certificate_without_personal_data():
    case = full_case()
    staff = staff_user()
    result = student_data_purge(by=staff)
    (certificate,) = result.certificates
    assert DestructionCertificate.objects.get() == certificate
    assert certificate.performed_by == staff
    assert certificate.reason == DestructionReason.RETENTION
    assert certificate.retention_years == 5
    assert certificate.case_count == 1
    assert certificate.case_references == [case.reference]
    assert certificate.categories == list(RETENTION_CATEGORIES)
    assert tables_with_mark() == {}  # the certificate table included


def test_purge_scheduled_task_certificate_says_scheduled_task():
    full_case()
    assert retention_purge() == 1
    certificate = DestructionCertificate.objects.get()
    assert certificate.performed_by is None
    assert str(certificate.performed_by_label) == "scheduled task"


def test_purge_second_run_does_nothing():
    full_case()
    student_data_purge()
    result = student_data_purge()
    assert result.total == 0
    assert DestructionCertificate.objects.count() == 1


def test_purge_dry_run_writes_nothing():
    case = full_case()
    marked = tables_with_mark()
    result = student_data_purge(dry_run=True)
    assert result.dry_run is True
    assert result.cases == {DestructionReason.RETENTION: [case.reference]}
    assert tables_with_mark() == marked
    assert DestructionCertificate.objects.count() == 0
    case.refresh_from_db()
    assert case.identifying_data_purged_at is None


def test_expired_only_after_the_retention_period_in_a_final_status():
    old_closed = full_case(years_ago=6, held=False)
    recent_closed = full_case(years_ago=4, held=False)
    old_open = FacilitationRequestFactory(status="scheduled")
    final_since(old_open, timezone.now() - datetime.timedelta(days=365 * 8), status="scheduled")
    withdrawn = FacilitationRequestFactory(status="withdrawn")
    final_since(withdrawn, timezone.now() - datetime.timedelta(days=365 * 6))
    due = expired_requests()
    assert due[DestructionReason.RETENTION] == [old_closed, withdrawn]
    assert recent_closed not in due[DestructionReason.RETENTION]
    assert due[DestructionReason.PARENT_REQUEST] == []


def test_expired_counts_from_the_last_move_into_the_final_status():
    case = full_case(years_ago=7, held=False)
    final_since(case, timezone.now() - datetime.timedelta(days=30))
    assert expired_requests()[DestructionReason.RETENTION] == []


def test_expired_follows_the_retention_setting(settings):
    case = full_case(years_ago=4, held=False)
    assert expired_requests()[DestructionReason.RETENTION] == []
    settings.FIEP_RETENTION_YEARS = 3
    assert expired_requests()[DestructionReason.RETENTION] == [case]
    (certificate,) = student_data_purge().certificates
    assert certificate.retention_years == 3


def test_parent_requested_destruction_purges_a_recent_closed_case_now():
    case = full_case(years_ago=0)
    other = full_case(years_ago=6, held=False)
    staff = staff_user()
    result = destruction_request(request=case, by=staff)
    (certificate,) = result.certificates
    assert certificate.reason == DestructionReason.PARENT_REQUEST
    assert certificate.case_references == [case.reference]
    assert certificate.performed_by == staff
    case.refresh_from_db()
    assert case.destruction_requested_at is not None
    assert case.identifying_data_purged_at is not None
    assert case.student_first_name == ""
    other.refresh_from_db()
    assert other.identifying_data_purged_at is None  # only the case asked about


def test_parent_requested_destruction_refused_for_an_open_case():
    case = FacilitationRequestFactory(status="scheduled")
    with pytest.raises(ServiceError):
        destruction_request(request=case, by=staff_user())
    case.refresh_from_db()
    assert case.destruction_requested_at is None


def test_parent_requested_destruction_refused_twice():
    case = full_case(years_ago=0, held=False)
    destruction_request(request=case, by=staff_user())
    with pytest.raises(ServiceError):
        destruction_request(request=case, by=staff_user())


def test_parent_request_recorded_then_picked_up_by_the_next_run():
    case = full_case(years_ago=0, held=False)
    FacilitationRequest.objects.filter(pk=case.pk).update(destruction_requested_at=timezone.now())
    result = student_data_purge()
    assert result.cases == {DestructionReason.PARENT_REQUEST: [case.reference]}
    assert result.certificates[0].reason == DestructionReason.PARENT_REQUEST


# --- The staff action ------------------------------------------------------------------


def _action_url(case):
    return reverse("fiep_requests:case-action", args=[case.reference, "destroy"])


def test_case_page_offers_destruction_only_for_closed_cases(staff_client):
    closed = full_case(years_ago=0, held=False)
    open_case = FacilitationRequestFactory(status="under_review")
    page = staff_client.get(reverse("fiep_requests:case", args=[closed.reference]))
    assert "Parent asked for destruction of identifying data" in page.content.decode()
    page = staff_client.get(reverse("fiep_requests:case", args=[open_case.reference]))
    assert "Parent asked for destruction of identifying data" not in page.content.decode()


def test_case_action_destroy_needs_confirmation(staff_client):
    case = full_case(years_ago=0, held=False)
    response = staff_client.post(_action_url(case), {})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.identifying_data_purged_at is None


def test_case_action_destroy_purges_and_certifies(staff_client, staff):
    case = full_case(years_ago=0)
    response = staff_client.post(_action_url(case), {"destroy-confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.identifying_data_purged_at is not None
    assert tables_with_mark() == {}
    certificate = DestructionCertificate.objects.get()
    assert certificate.performed_by == staff
    page = staff_client.get(reverse("fiep_requests:case", args=[case.reference]))
    content = page.content.decode()
    assert "identifying data of this request was destroyed" in content
    assert "Parent asked for destruction of identifying data" not in content


def test_case_action_destroy_on_open_case_changes_nothing(staff_client):
    case = FacilitationRequestFactory(status="scheduled")
    response = staff_client.post(_action_url(case), {"destroy-confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.destruction_requested_at is None


def test_case_action_destroy_liaison_gets_403(client):
    district = DistrictFactory()
    case = full_case(years_ago=0, held=False, district=district)
    client.force_login(liaison_user(district))
    assert client.post(_action_url(case), {"destroy-confirm": "on"}).status_code == 403
    case.refresh_from_db()
    assert case.identifying_data_purged_at is None


# --- The command and the task ------------------------------------------------------------


def test_command_dry_run_prints_references_and_changes_nothing():
    case = full_case()
    out = io.StringIO()
    call_command("purge_student_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Retention period: 5 years." in text
    assert "Would destroy identifying data of 1 case(s)." in text
    assert case.reference in text
    assert MARK not in text
    assert DestructionCertificate.objects.count() == 0
    assert tables_with_mark()


def test_command_destroys_and_prints_the_certificate():
    case = full_case()
    out = io.StringIO()
    call_command("purge_student_data", stdout=out)
    text = out.getvalue()
    certificate = DestructionCertificate.objects.get()
    assert "Destroyed identifying data of 1 case(s)." in text
    assert f"Retention period ended: 1: {case.reference}" in text
    assert f"Certificate {certificate.pk} written (1 case(s))." in text
    assert MARK not in text
    assert tables_with_mark() == {}


def test_command_with_nothing_expired():
    out = io.StringIO()
    call_command("purge_student_data", stdout=out)
    assert "Destroyed identifying data of 0 case(s)." in out.getvalue()


def test_beat_runs_the_retention_task():
    from fiep.celery import app

    assert app.conf.beat_schedule["retention-purge"]["task"] == "fiep_requests.retention_purge"
    assert "fiep_requests.retention_purge" in app.tasks


# --- The certificates page -----------------------------------------------------------------

CERTIFICATES = reverse("fiep_requests:destruction-certificates")


def test_certificates_page_lists_certificates(staff_client):
    case = full_case()
    student_data_purge()
    response = staff_client.get(CERTIFICATES)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    content = response.content.decode()
    assert case.reference in content
    assert "scheduled task" in content
    assert "Retention period ended" in content


def test_certificates_page_linked_from_staff_home(staff_client):
    assert CERTIFICATES in staff_client.get(reverse("staff-home")).content.decode()


def test_certificates_page_other_roles_get_403(client, district):
    client.force_login(liaison_user(district))
    assert client.get(CERTIFICATES).status_code == 403


def test_certificates_page_anonymous_redirects_to_login(client):
    response = client.get(CERTIFICATES)
    assert response.status_code == 302
    assert "login" in response["Location"]


def _certificate(n):
    for i in range(n):
        DestructionCertificate.objects.create(
            reason=DestructionReason.RETENTION,
            retention_years=5,
            case_count=1,
            case_references=[f"FIEP-2019-{i:04d}"],
            categories=["student"],
            performed_by=staff_user() if i % 2 else None,
        )


def test_certificates_page_query_count_same_for_1_and_20_rows(staff_client, query_guard):
    query_guard(7, lambda: staff_client.get(CERTIFICATES), add=_certificate, many=20)


def test_meeting_history_keeps_no_identifying_columns():
    from fiep_requests.models import IDENTIFYING_FIELDS

    historical = {f.name for f in FacilitationRequest.history.model._meta.fields}
    assert historical.isdisjoint(IDENTIFYING_FIELDS)
    assert historical.isdisjoint({"status_token", "consent_token", "submission_token"})
    meeting_history = {f.name for f in Meeting.history.model._meta.fields}
    assert meeting_history.isdisjoint(Meeting.IDENTIFYING_FIELDS)
    assert "comments" not in {f.name for f in Evaluation.history.model._meta.fields}
    assert "email" not in {f.name for f in EvaluationInvitation.history.model._meta.fields}


def test_purged_case_page_and_old_status_link(client, staff_client):
    case = full_case()
    old_status_url = reverse("fiep_requests:status", args=[case.status_token])
    student_data_purge()
    content = staff_client.get(reverse("fiep_requests:case", args=[case.reference])).content
    text = content.decode()
    assert MARK not in text
    assert "E-mail “request_approved” to — (cancelled)" in text
    assert client.get(old_status_url).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_purge_runs_under_the_append_only_access_log_trigger():
    """On PostgreSQL the access log refuses UPDATE and DELETE: the purge never needs to."""
    case = full_case()
    entry = AccessLog.objects.get(case_reference=case.reference)
    student_data_purge()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(purpose="changed")
    assert AccessLog.objects.get(pk=entry.pk).case_reference == case.reference
