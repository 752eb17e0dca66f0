"""The facilitators app releases the assignment of a request closed before its meeting."""

import pytest

from facilitators.models import AssignmentStatus
from fiep.models import OutboxMessage
from fiep_requests import services as request_services
from fiep_requests.models import RequestStatus
from tests.factories import AssignmentFactory, FacilitatorFactory, staff_user

pytestmark = pytest.mark.django_db


def _offered():
    facilitator = FacilitatorFactory(with_user=True)
    return AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)


def test_release_on_withdraw_of_offered_case_notifies_facilitator():
    assignment = _offered()
    request_services.request_withdraw(request=assignment.request, reason="We settled it")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    assignment.request.refresh_from_db()
    assert assignment.request.status == RequestStatus.WITHDRAWN
    message = OutboxMessage.objects.get(event="facilitator_released")
    assert message.recipient_email == assignment.facilitator.email
    assert assignment.request.reference in message.subject
    assert "/facilitators/my/" in message.body_text


def test_release_on_staff_cancel_of_accepted_case():
    assignment = AssignmentFactory(facilitator=FacilitatorFactory(with_user=True))
    request_services.request_cancel(request=assignment.request, by=staff_user(), reason="Moved")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    assert OutboxMessage.objects.filter(event="facilitator_released").count() == 1


def test_release_leaves_declined_and_replaced_assignments_alone():
    declined = AssignmentFactory(status=AssignmentStatus.DECLINED)
    AssignmentFactory(request=declined.request, status=AssignmentStatus.REPLACED)
    request_services.request_cancel(request=declined.request, by=staff_user(), reason="Moved")
    assert sorted(declined.request.assignments.values_list("status", flat=True)) == [
        "declined",
        "replaced",
    ]
    assert OutboxMessage.objects.filter(event="facilitator_released").count() == 0


def test_release_message_in_facilitator_language():
    assignment = _offered()
    user = assignment.facilitator.user
    user.preferred_language = "es"
    user.save()
    request_services.request_withdraw(request=assignment.request)
    message = OutboxMessage.objects.get(event="facilitator_released")
    assert message.language == "es"
    assert "se cerró" in message.subject


def test_release_on_the_case_timeline():
    from fiep_requests.selectors import case_timeline

    assignment = _offered()
    request_services.request_withdraw(request=assignment.request)
    assignment.refresh_from_db()
    assert assignment.released_at is not None
    texts = [entry.text for entry in case_timeline(assignment.request)]
    name = assignment.facilitator.full_name
    assert f"{name} released: the case closed before the meeting" in texts
