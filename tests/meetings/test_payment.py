import datetime
from decimal import Decimal

import pytest

from fiep.exceptions import ServiceError
from fiep.models import OutboxMessage
from meetings import services
from meetings.models import ClaimStatus, PaymentClaim, TimeEntry
from meetings.services import ClaimLocked

pytestmark = pytest.mark.django_db


def _log(meeting, hours, miles=0, day=None, justification="", kind="meeting"):
    return services.time_entry_log(
        meeting=meeting,
        by=meeting.facilitator.user,
        worked_on=day or meeting.starts_at.date(),
        kind=kind,
        hours=hours,
        miles=miles,
        justification=justification,
    )


def _month(meeting):
    return meeting.starts_at.date().replace(day=1)


def test_time_entry_over_cap_needs_justification(past_meeting, settings):
    settings.FIEP_CASE_HOURS_CAP = 12.0
    _log(past_meeting, "10")
    with pytest.raises(ServiceError, match="over the cap"):
        _log(past_meeting, "2.5")
    entry = _log(past_meeting, "2.5", justification="Two extra pre-meetings with the parent")
    assert entry.hours == Decimal("2.50")
    assert services.case_hours(past_meeting, past_meeting.facilitator) == Decimal("12.50")


def test_time_entry_refuses_negative_empty_and_future(past_meeting):
    with pytest.raises(ServiceError):
        _log(past_meeting, "-1")
    with pytest.raises(ServiceError):
        _log(past_meeting, "0", miles="0")
    with pytest.raises(ServiceError):
        _log(past_meeting, "1", day=datetime.date.today() + datetime.timedelta(days=3))


def test_claim_amount_is_decimal_rounded_half_up_to_cents(past_meeting):
    facilitator = past_meeting.facilitator
    facilitator.hourly_rate = Decimal("75.00")
    facilitator.mileage_rate = Decimal("0.655")
    facilitator.save()
    _log(past_meeting, "1.25", kind="preparation")
    _log(past_meeting, "2.5", miles="33.3")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    claim.refresh_from_db()
    # 3.75 h x 75.00 = 281.25; 33.3 mi x 0.655 = 21.8115; total 303.0615 -> 303.06
    assert claim.hours == Decimal("3.75")
    assert claim.miles == Decimal("33.3")
    assert claim.amount == Decimal("303.06")
    assert isinstance(claim.amount, Decimal)
    assert services.claim_amounts(
        hours=Decimal("0.1"), miles=Decimal("0"), hourly_rate=Decimal("0.05"), mileage_rate=0
    ) == Decimal("0.01")  # 0.005 rounds half up, where float would give 0.005000000000000001


def test_claim_build_takes_only_unclaimed_time_of_the_month(past_meeting):
    facilitator = past_meeting.facilitator
    month = _month(past_meeting)
    inside = _log(past_meeting, "2")
    claim = services.claim_build(facilitator=facilitator, month=month, by=None)
    other = PaymentClaim.objects.create(facilitator=facilitator, month=datetime.date(2020, 1, 1))
    TimeEntry.objects.filter(pk=inside.pk).update(claim=claim)
    assert list(claim.entries.all()) == [inside]
    assert other.entries.count() == 0
    with pytest.raises(ServiceError):
        services.claim_build(facilitator=facilitator, month=datetime.date(2019, 1, 1), by=None)


def test_claim_submit_return_resubmit_approve(past_meeting, staff):
    facilitator = past_meeting.facilitator
    _log(past_meeting, "2")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    claim = services.claim_submit(claim=claim, by=facilitator.user)
    assert claim.status == ClaimStatus.SUBMITTED
    with pytest.raises(ServiceError):
        services.claim_return(claim=claim, by=staff, comment="")
    claim = services.claim_return(claim=claim, by=staff, comment="Add the mileage")
    assert claim.status == ClaimStatus.RETURNED
    message = OutboxMessage.objects.get(event="claim_returned")
    assert message.recipient_email == facilitator.email
    assert "Add the mileage" in message.body_text
    _log(past_meeting, "0", miles="40")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    assert claim.miles == Decimal("40.0")
    claim = services.claim_submit(claim=claim, by=facilitator.user)
    claim = services.claim_approve(claim=claim, by=staff)
    assert (claim.status, claim.reviewed_by) == (ClaimStatus.APPROVED, staff)


def test_approved_claim_is_immutable(past_meeting, staff):
    facilitator = past_meeting.facilitator
    entry = _log(past_meeting, "2")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    services.claim_submit(claim=claim, by=facilitator.user)
    claim = services.claim_approve(claim=claim, by=staff)
    amount = claim.amount
    _log(past_meeting, "1")  # new time after approval stays unclaimed
    facilitator.hourly_rate = Decimal("999.00")
    facilitator.save()
    for attempt in (
        # Refreshing the approved claim itself (late time goes to a supplemental claim:
        # tests/meetings/test_supplemental_claims.py).
        lambda: services.claim_build(
            facilitator=facilitator, month=claim.month, by=None, claim=claim
        ),
        lambda: services.claim_submit(claim=claim, by=facilitator.user),
        lambda: services.claim_approve(claim=claim, by=staff),
        lambda: services.claim_return(claim=claim, by=staff, comment="again"),
        lambda: services.time_entry_delete(entry=entry, by=facilitator.user),
    ):
        with pytest.raises(ClaimLocked):
            attempt()
    claim.refresh_from_db()
    assert (claim.status, claim.amount, claim.entries.count()) == (ClaimStatus.APPROVED, amount, 1)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_time_entry_delete_recomputes_draft_claim(past_meeting):
    facilitator = past_meeting.facilitator
    first = _log(past_meeting, "2")
    _log(past_meeting, "1")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    services.time_entry_delete(entry=first, by=facilitator.user)
    claim.refresh_from_db()
    assert claim.hours == Decimal("1.00")


def test_csv_export_lists_only_approved_claims(past_meeting, staff):
    facilitator = past_meeting.facilitator
    facilitator.vendor_number = "V-0042"
    facilitator.save()
    _log(past_meeting, "2", miles="10")
    claim = services.claim_build(facilitator=facilitator, month=_month(past_meeting), by=None)
    filename, mimetype, content = services.claims_export_csv(claims=[claim])
    assert content.decode().count("\r\n") == 1  # header only: a draft is not exported
    services.claim_submit(claim=claim, by=facilitator.user)
    claim = services.claim_approve(claim=claim, by=staff)
    filename, mimetype, content = services.claims_export_csv(claims=[claim])
    lines = content.decode().splitlines()
    assert mimetype == "text/csv"
    assert filename.endswith(".csv")
    assert lines[0].startswith("claim_id,vendor_number,facilitator,month,hours")
    row = lines[1].split(",")
    assert row[1] == "V-0042"
    assert row[4:9] == ["2.00", "75.00", "10.0", "0.655", "156.55"]
