import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from fiep.models import OutboxMessage
from fiep.notifications import Event
from fiep_requests import services
from fiep_requests.models import (
    TRANSITIONS,
    CaseNote,
    ConsentState,
    DenialReason,
    FacilitationRequest,
    RequestStatus,
    StatusChange,
)
from fiep_requests.selectors import related_requests, review_warnings
from tests.factories import FacilitationRequestFactory, staff_user

from .conftest import submit_data

pytestmark = pytest.mark.django_db

ALL_MOVES = [(a, b) for a in RequestStatus for b in RequestStatus]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_MOVES)
def test_request_transition_allows_exactly_the_listed_moves(from_status, to_status):
    case = FacilitationRequestFactory(status=from_status)
    if to_status in TRANSITIONS[from_status]:
        moved = services.request_transition(request=case, to_status=to_status, reason="why")
        assert moved.status == to_status
        change = StatusChange.objects.get(request=case)
        assert (change.from_status, change.to_status, change.reason) == (
            from_status,
            to_status,
            "why",
        )
    else:
        with pytest.raises(services.TransitionRefused):
            services.request_transition(request=case, to_status=to_status)
        case.refresh_from_db()
        assert case.status == from_status
        assert StatusChange.objects.filter(request=case).count() == 0


def test_request_submit_numbers_sequentially_per_year(a_district):
    first = services.request_submit(
        data=submit_data(a_district), ip="1.2.3.4", submission_token="a"
    )
    second = services.request_submit(
        data=submit_data(a_district), ip="1.2.3.4", submission_token="b"
    )
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"FIEP-{year}-0001", f"FIEP-{year}-0002")


def test_request_submit_duplicate_token_returns_existing(a_district):
    first = services.request_submit(data=submit_data(a_district), ip=None, submission_token="x")
    again = services.request_submit(data=submit_data(a_district), ip=None, submission_token="x")
    assert again.pk == first.pk
    assert FacilitationRequest.objects.count() == 1


def test_request_submit_parent_waits_for_district_consent(
    a_district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.request_submit(data=submit_data(a_district), ip=None, submission_token="t")
    assert case.status == RequestStatus.AWAITING_CONSENT
    assert case.consent_state == ConsentState.PENDING
    assert case.consent_requested_at is not None
    consent = OutboxMessage.objects.get(event=Event.CONSENT_REQUESTED)
    assert consent.recipient_email == "dana@district.example.org"
    assert consent.language == "en"
    assert case.consent_token in consent.body_text
    received = OutboxMessage.objects.get(event=Event.REQUEST_RECEIVED)
    assert received.recipient_email == "rosa@example.org"
    assert received.language == "es"
    assert case.status_token in received.body_text
    assert list(case.status_changes.values_list("to_status", flat=True)) == [
        "submitted",
        "awaiting_consent",
    ]


def test_request_submit_district_asks_parent_in_parent_language(a_district):
    case = services.request_submit(
        data=submit_data(a_district, requested_by="district"), ip=None, submission_token="d"
    )
    consent = OutboxMessage.objects.get(event=Event.CONSENT_REQUESTED)
    assert (consent.recipient_email, consent.language) == ("rosa@example.org", "es")
    assert consent.case_reference == case.reference


def test_request_submit_joint_skips_consent(a_district):
    case = services.request_submit(
        data=submit_data(a_district, requested_by="joint"), ip=None, submission_token="j"
    )
    assert case.status == RequestStatus.UNDER_REVIEW
    assert case.consent_state == ConsentState.NOT_NEEDED
    assert case.agreed_on == timezone.localdate()
    assert not OutboxMessage.objects.filter(event=Event.CONSENT_REQUESTED).exists()
    assert OutboxMessage.objects.filter(event=Event.REQUEST_RECEIVED).count() == 2


def _awaiting(a_district):
    return services.request_submit(data=submit_data(a_district), ip=None, submission_token=None)


def test_consent_respond_agree_moves_to_review(a_district):
    case = _awaiting(a_district)
    case = services.consent_respond(
        token=case.consent_token, agree=True, signed_name="Dana Director"
    )
    assert case.status == RequestStatus.UNDER_REVIEW
    assert (case.consent_state, case.consent_method) == (ConsentState.GIVEN, "link")
    assert case.agreed_on == timezone.localdate()


def test_consent_respond_decline_closes_and_tells_requester(a_district):
    case = _awaiting(a_district)
    case = services.consent_respond(token=case.consent_token, agree=False, reason="Not now")
    assert case.status == RequestStatus.CANCELLED
    assert case.consent_state == ConsentState.DECLINED
    assert "Not now" in case.closed_reason
    closed = OutboxMessage.objects.get(event=Event.REQUEST_CLOSED)
    assert closed.recipient_email == "rosa@example.org"


def test_consent_respond_twice_is_refused(a_district):
    case = _awaiting(a_district)
    services.consent_respond(token=case.consent_token, agree=True, signed_name="Dana Director")
    with pytest.raises(services.ServiceError):
        services.consent_respond(token=case.consent_token, agree=False)


def test_consent_record_by_staff_phone(a_district):
    staff = staff_user()
    case = _awaiting(a_district)
    case = services.consent_record(request=case, by=staff, agreed=True, method="phone", note="Call")
    assert (case.status, case.consent_method) == (RequestStatus.UNDER_REVIEW, "phone")
    assert case.status_changes.last().by == staff


def test_consent_record_rejects_unknown_method(a_district):
    case = _awaiting(a_district)
    with pytest.raises(services.ServiceError):
        services.consent_record(request=case, by=staff_user(), agreed=True, method="carrier")


@override_settings(FIEP_CONSENT_REMINDER_DAYS=5, FIEP_CONSENT_EXPIRY_DAYS=14)
def test_consent_sweep_reminds_once_after_reminder_days(a_district):
    case = _awaiting(a_district)
    later = case.consent_requested_at + datetime.timedelta(days=5, minutes=1)
    assert services.consent_sweep(now=later) == (1, 0)
    assert services.consent_sweep(now=later) == (0, 0)
    reminder = OutboxMessage.objects.get(event=Event.CONSENT_REMINDER)
    assert reminder.recipient_email == "dana@district.example.org"


@override_settings(FIEP_CONSENT_REMINDER_DAYS=5, FIEP_CONSENT_EXPIRY_DAYS=14)
def test_consent_sweep_before_reminder_days_does_nothing(a_district):
    case = _awaiting(a_district)
    assert services.consent_sweep(now=case.consent_requested_at + datetime.timedelta(days=4)) == (
        0,
        0,
    )


@override_settings(FIEP_CONSENT_REMINDER_DAYS=5, FIEP_CONSENT_EXPIRY_DAYS=14)
def test_consent_sweep_expires_after_expiry_days(a_district):
    case = _awaiting(a_district)
    later = case.consent_requested_at + datetime.timedelta(days=14, minutes=1)
    services.consent_sweep(now=later)
    case.refresh_from_db()
    assert case.status == RequestStatus.CANCELLED
    assert case.consent_state == ConsentState.EXPIRED
    assert "14" in case.closed_reason
    assert OutboxMessage.objects.filter(
        event=Event.REQUEST_CLOSED, recipient_email="rosa@example.org"
    ).exists()


def test_consent_sweep_task_runs():
    from fiep_requests.tasks import consent_sweep

    assert consent_sweep.name == "fiep_requests.consent_sweep"
    assert consent_sweep.apply().get() == (0, 0)


def _under_review():
    return FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)


def test_request_approve_messages_both_parties():
    case = services.request_approve(request=_under_review(), by=staff_user(), message="Welcome")
    assert case.status == RequestStatus.APPROVED
    assert OutboxMessage.objects.filter(event=Event.REQUEST_APPROVED).count() == 2
    assert "Welcome" in OutboxMessage.objects.filter(event=Event.REQUEST_APPROVED)[0].body_text


def test_request_deny_records_reason_and_messages_in_language():
    case = _under_review()
    case.parent_language = "es"
    case.save()
    case = services.request_deny(
        request=case, by=staff_user(), reason_code="duplicate", message="See FIEP-2026-0001"
    )
    assert (case.status, case.decision_reason) == (RequestStatus.DENIED, "duplicate")
    spanish = OutboxMessage.objects.get(event=Event.REQUEST_DENIED, language="es")
    assert DenialReason.objects.get(code="duplicate").label_es in spanish.body_text


def test_request_deny_unknown_or_inactive_reason_refused():
    DenialReason.objects.filter(code="duplicate").update(active=False)
    case = _under_review()
    for code in ("nonsense", "duplicate"):
        with pytest.raises(services.ServiceError):
            services.request_deny(request=case, by=staff_user(), reason_code=code)
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


def test_request_approve_refused_when_not_under_review():
    case = FacilitationRequestFactory(status=RequestStatus.AWAITING_CONSENT)
    with pytest.raises(services.TransitionRefused):
        services.request_approve(request=case, by=staff_user())
    assert not OutboxMessage.objects.exists()


def test_request_withdraw_tells_both_parties():
    case = services.request_withdraw(request=_under_review(), reason="Resolved")
    assert (case.status, case.closed_reason) == (RequestStatus.WITHDRAWN, "Resolved")
    assert OutboxMessage.objects.filter(event=Event.REQUEST_WITHDRAWN).count() == 2


def test_request_cancel_needs_reason():
    case = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    with pytest.raises(services.ServiceError):
        services.request_cancel(request=case, by=staff_user(), reason=" ")
    case = services.request_cancel(request=case, by=staff_user(), reason="Moved away")
    assert case.status == RequestStatus.CANCELLED


def test_case_note_add_and_empty_refused():
    case, staff = _under_review(), staff_user()
    services.case_note_add(request=case, author=staff, text="Called the district")
    with pytest.raises(services.ServiceError):
        services.case_note_add(request=case, author=staff, text="  ")
    assert CaseNote.objects.filter(request=case).count() == 1


@override_settings(FIEP_MIN_LEAD_DAYS=10, FIEP_EXCLUDED_MEETING_TYPES=["amendment"])
def test_review_warnings_lead_time_and_excluded_type():
    today = timezone.localdate()
    case = FacilitationRequestFactory(
        meeting_type="amendment", meeting_date_set=today + datetime.timedelta(days=3)
    )
    warnings = review_warnings(case, today=today)
    assert len(warnings) == 2
    ok = FacilitationRequestFactory(meeting_date_set=today + datetime.timedelta(days=20))
    assert review_warnings(ok, today=today) == []


def test_related_requests_same_student_name_birth_date_district():
    case = FacilitationRequestFactory(student_last_name="Same")
    earlier = FacilitationRequestFactory(
        student_last_name="same", district=case.district, status=RequestStatus.CLOSED
    )
    FacilitationRequestFactory(student_last_name="Same")  # other district
    FacilitationRequestFactory(
        student_last_name="Same",
        district=case.district,
        student_birth_date=datetime.date(2011, 1, 1),
    )
    assert list(related_requests(case)) == [earlier]


def test_consent_decline_reason_in_each_recipient_language(a_district):
    from django.utils import translation

    case = _awaiting(a_district)  # parent asked, in Spanish
    with translation.override("es"):
        case = services.consent_respond(token=case.consent_token, agree=False, reason="No")
    assert case.closed_reason == "The other party declined facilitation. No"
    closed = OutboxMessage.objects.get(event=Event.REQUEST_CLOSED)
    assert closed.language == "es"
    assert "La otra parte rechazó la facilitación. No" in closed.body_text
    assert case.status_changes.last().reason == case.closed_reason


def test_request_submit_queues_mail_after_commit_not_inline(
    a_district, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_submit(data=submit_data(a_district), ip=None, submission_token="q")
    assert mailoutbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["dana@district.example.org", "rosa@example.org"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_request_closed_signal_sent_on_withdraw_cancel_deny_and_decline(a_district):
    from fiep_requests.signals import request_closed

    seen = []

    def receiver(sender, request, status, by, **kwargs):
        seen.append((request.pk, status))

    request_closed.connect(receiver)
    try:
        staff = staff_user()
        withdrawn = services.request_withdraw(request=_under_review())
        denied = services.request_deny(request=_under_review(), by=staff, reason_code="duplicate")
        cancelled = services.request_cancel(
            request=FacilitationRequestFactory(status=RequestStatus.APPROVED), by=staff, reason="x"
        )
        declined = services.consent_respond(token=_awaiting(a_district).consent_token, agree=False)
    finally:
        request_closed.disconnect(receiver)
    assert seen == [
        (withdrawn.pk, "withdrawn"),
        (denied.pk, "denied"),
        (cancelled.pk, "cancelled"),
        (declined.pk, "cancelled"),
    ]
