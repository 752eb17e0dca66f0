"""The change history of payment claims (django-simple-history) and its display."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import ClaimStatus, PaymentClaim

pytestmark = pytest.mark.django_db


def _submitted_claim(client, meeting):
    facilitator = meeting.facilitator
    services.time_entry_log(
        meeting=meeting,
        by=facilitator.user,
        worked_on=meeting.starts_at.date(),
        kind="meeting",
        hours="2",
    )
    client.force_login(facilitator.user)
    month = meeting.starts_at.date().replace(day=1)
    client.post(reverse("meetings:claims"), {"month": month.isoformat()})
    claim = facilitator.claims.get()
    client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "submit"})
    return claim


def test_claim_history_names_who_submitted_and_approved(client, past_meeting, staff):
    claim = _submitted_claim(client, past_meeting)
    client.force_login(staff)
    client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "approve"})
    records = list(PaymentClaim.history.filter(id=claim.pk).order_by("history_date"))
    by_status = {record.status: record.history_user for record in records}
    assert by_status[ClaimStatus.SUBMITTED] == past_meeting.facilitator.user
    assert by_status[ClaimStatus.APPROVED] == staff


def test_claim_page_shows_changes_to_staff_only(client, past_meeting, staff):
    claim = _submitted_claim(client, past_meeting)
    page = client.get(reverse("meetings:claim", args=[claim.pk])).content.decode()
    assert "Changes to the claim" not in page  # the facilitator
    client.force_login(staff)
    client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "approve"})
    page = client.get(reverse("meetings:claim", args=[claim.pk])).content.decode()
    assert "Changes to the claim" in page
    assert "Submitted → Approved" in page
