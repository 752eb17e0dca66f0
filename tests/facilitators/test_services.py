"""Assignment, acceptance, decline, objection, the timeline and the trial promotion."""

import pytest

from facilitators import services
from facilitators.case import case_panel, timeline_entries
from facilitators.models import Assignment, AssignmentStatus, ContractStatus, Objection
from fiep.exceptions import ServiceError
from fiep.models import OutboxMessage
from fiep_requests.extensions import case_timeline_entries
from fiep_requests.models import RequestStatus, StatusChange
from tests.factories import (
    AssignmentFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    MeetingFactory,
)

from .factories import ConflictFactory


@pytest.fixture
def assigned(roster, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.facilitator_assign(
            request=roster["request"], facilitator=roster["Ana"], by=staff, note="Spanish family"
        )
    return assignment


def test_assign_moves_request_and_notifies_facilitator(assigned, roster, staff):
    request = roster["request"]
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED
    assert assigned.status == AssignmentStatus.OFFERED
    assert assigned.assigned_by == staff
    change = StatusChange.objects.filter(request=request).last()
    assert (change.from_status, change.to_status, change.by) == ("approved", "assigned", staff)
    message = OutboxMessage.objects.get(event="facilitator_assigned")
    assert message.recipient_email == roster["Ana"].email
    assert message.case_reference == request.reference
    assert request.reference in message.subject
    assert f"/facilitators/my/cases/{request.pk}/" in message.body_text
    assert "Spanish family" in message.body_html
    assert "Meeting type: Annual review" in message.body_text


def test_assign_email_in_facilitators_language(roster, staff):
    user = roster["Ana"].user
    user.preferred_language = "es"
    user.save()
    services.facilitator_assign(
        request=roster["request"], facilitator=roster["Ana"], by=staff, note=""
    )
    message = OutboxMessage.objects.get(event="facilitator_assigned")
    assert message.language == "es"
    assert message.subject.startswith("Nuevo caso")


def test_assign_twice_refused_with_clear_message(assigned, roster, staff):
    with pytest.raises(services.AssignmentRefused) as info:
        services.facilitator_assign(
            request=roster["request"], facilitator=roster["Ben"], by=staff, note=""
        )
    assert "was just assigned to Ana Anason" in str(info.value)
    assert Assignment.objects.filter(request=roster["request"]).count() == 1


def test_assign_over_limit_refused(roster, staff):
    roster["Ana"].max_open_cases = 1
    roster["Ana"].save()
    AssignmentFactory(facilitator=roster["Ana"], request__status=RequestStatus.SCHEDULED)
    with pytest.raises(services.AssignmentRefused) as info:
        services.facilitator_assign(
            request=roster["request"], facilitator=roster["Ana"], by=staff, note=""
        )
    assert "open-case limit" in str(info.value)
    roster["request"].refresh_from_db()
    assert roster["request"].status == RequestStatus.APPROVED


def test_assign_conflicted_refused(roster, staff):
    ConflictFactory(facilitator=roster["Ana"], district=roster["district"], reason="Cousin")
    with pytest.raises(services.AssignmentRefused) as info:
        services.facilitator_assign(
            request=roster["request"], facilitator=roster["Ana"], by=staff, note=""
        )
    assert "Cousin" in str(info.value)


def test_assign_request_not_approved_refused(roster, staff):
    request = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    with pytest.raises(services.AssignmentRefused):
        services.facilitator_assign(request=request, facilitator=roster["Ana"], by=staff)


def test_accept_requires_attestation(assigned, roster):
    with pytest.raises(ServiceError):
        services.assignment_accept(
            assignment=assigned, user=roster["Ana"].user, attest_no_conflict=False
        )
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.OFFERED


def test_accept_records_attestation(assigned, roster):
    services.assignment_accept(
        assignment=assigned, user=roster["Ana"].user, attest_no_conflict=True
    )
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.ACCEPTED
    assert assigned.conflict_attested_at is not None
    roster["request"].refresh_from_db()
    assert roster["request"].status == RequestStatus.ASSIGNED
    texts = [e.text for e in timeline_entries(roster["request"])]
    assert texts == [
        "Facilitator offered: Ana Anason",
        "Ana Anason accepted and attested no conflict",
    ]


def test_accept_after_request_withdrawn_refused(assigned, roster, staff):
    from fiep_requests.services import request_transition

    request_transition(request=roster["request"], to_status=RequestStatus.WITHDRAWN, by=staff)
    with pytest.raises(services.AssignmentRefused):
        services.assignment_accept(
            assignment=assigned, user=roster["Ana"].user, attest_no_conflict=True
        )


def test_accept_by_someone_else_refused(assigned, roster):
    with pytest.raises(services.AssignmentRefused):
        services.assignment_accept(
            assignment=assigned, user=roster["Ben"].user, attest_no_conflict=True
        )


def test_decline_returns_case_to_staff(
    assigned, roster, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_decline(
            assignment=assigned, user=roster["Ana"].user, reason="Out of state that week"
        )
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.DECLINED
    assert assigned.decline_reason == "Out of state that week"
    request = roster["request"]
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    message = OutboxMessage.objects.get(event="facilitator_declined")
    assert message.recipient_email == settings.FIEP_OFFICE_EMAIL
    assert "Out of state that week" in message.body_text
    entries = case_timeline_entries.collect(case=request)
    assert [(e.kind, e.text, e.detail) for e in entries][-1] == (
        "decline",
        "Ana Anason declined the case",
        "Out of state that week",
    )
    # Declined: no longer suggested for this case, and the search says why.
    names = [c.facilitator.first_name for c in services.assignment_suggestions(request=request)]
    assert names == ["Ben", "Cal", "Eva"]


def test_decline_needs_reason(assigned, roster):
    with pytest.raises(ServiceError):
        services.assignment_decline(assignment=assigned, user=roster["Ana"].user, reason=" ")


def test_objection_once_per_party_then_reassign(assigned, roster, staff):
    request = roster["request"]
    services.objection_record(request=request, by=staff, party="parent", reason="Knows the family")
    request.refresh_from_db()
    assigned.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert assigned.status == AssignmentStatus.REPLACED
    names = [c.facilitator.first_name for c in services.assignment_suggestions(request=request)]
    assert names == ["Ben", "Cal", "Eva"]
    services.facilitator_assign(request=request, facilitator=roster["Ben"], by=staff)
    with pytest.raises(services.AssignmentRefused) as info:
        services.objection_record(request=request, by=staff, party="parent", reason="Again")
    assert "already objected once" in str(info.value)
    services.objection_record(request=request, by=staff, party="district", reason="Conflict")
    assert Objection.objects.filter(request=request).count() == 2
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    kinds = [(e.kind, e.text) for e in timeline_entries(request)]
    assert kinds == [
        ("assignment", "Facilitator offered: Ana Anason"),
        ("objection", "Parent or guardian objected to Ana Anason"),
        ("reassignment", "Reassigned to Ben Benson (previously Ana Anason)"),
        ("objection", "School district objected to Ben Benson"),
    ]


def test_objection_without_assignment_refused(roster, staff):
    with pytest.raises(services.AssignmentRefused):
        services.objection_record(request=roster["request"], by=staff, party="parent", reason="x")


def test_case_panel_for_staff_lists_suggestions(roster, rf, staff):
    http_request = rf.get("/")
    http_request.user = staff
    template, context = case_panel(http_request, roster["request"])
    assert template == "facilitators/_case_panel.html"
    assert [c.facilitator.first_name for c in context["suggestions"]] == ["Ana", "Ben", "Cal"]
    assert context["can_assign"] is True
    assert (
        context["suggestions_url"] == f"/facilitators/requests/{roster['request'].pk}/suggestions/"
    )


def test_case_panel_hidden_from_facilitators(roster, rf):
    http_request = rf.get("/")
    http_request.user = roster["Ana"].user
    assert case_panel(http_request, roster["request"]) is None


def test_trial_promoted_after_held_meetings(settings, db):
    settings.FIEP_TRIAL_FACILITATIONS = 2
    facilitator = FacilitatorFactory(contract_status=ContractStatus.TRIAL)
    MeetingFactory(facilitator=facilitator, held=True)
    assert services.facilitator_trial_review(facilitator=facilitator) is False
    MeetingFactory(facilitator=facilitator, held=True)
    MeetingFactory(facilitator=facilitator)  # scheduled: does not count
    assert services.facilitator_trial_review(facilitator=facilitator) is True
    facilitator.refresh_from_db()
    assert facilitator.contract_status == ContractStatus.ACTIVE


def test_training_record_default_due_and_overdue_on_roster(db):
    import datetime

    from facilitators.selectors import roster, training_overdue

    facilitator = FacilitatorFactory()
    services.training_record(
        facilitator=facilitator, course="initial", completed_on=datetime.date(2023, 5, 1), hours=20
    )
    row = roster().get(pk=facilitator.pk)
    assert row.continuing_due_on == datetime.date(2025, 5, 1)
    assert training_overdue(row, today=datetime.date(2026, 1, 1)) is True
    assert training_overdue(row, today=datetime.date(2025, 4, 30)) is False


def test_unavailability_and_conflict_validate(db, district):
    import datetime

    facilitator = FacilitatorFactory()
    with pytest.raises(ServiceError):
        services.unavailability_add(
            facilitator=facilitator,
            starts_on=datetime.date(2026, 12, 5),
            ends_on=datetime.date(2026, 12, 1),
        )
    services.conflict_add(facilitator=facilitator, district=district, reason="Former employer")
    with pytest.raises(ServiceError):
        services.conflict_add(facilitator=facilitator, district=district, reason="Again")
