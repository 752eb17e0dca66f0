"""Supplemental claims: time logged for a month after its claim was submitted or approved
(issue 14 item 4). The claim states and the approval flow are the original claim's; a
time entry is never in two claims."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from fiep.models import Role
from meetings import services
from meetings.models import ClaimStatus, MeetingStatus, PaymentClaim, TimeEntry
from meetings.services import ClaimLocked
from tests import factories
from tests.meetings.conftest import in_days


def _log(meeting, hours, miles=0):
    return services.time_entry_log(
        meeting=meeting,
        by=meeting.facilitator.user,
        worked_on=meeting.starts_at.date(),
        kind="follow_up",
        hours=hours,
        miles=miles,
    )


def _month(meeting):
    return meeting.starts_at.date().replace(day=1)


def _build(meeting, **kwargs):
    return services.claim_build(
        facilitator=meeting.facilitator, month=_month(meeting), by=None, **kwargs
    )


def _approved(meeting, staff, hours="2"):
    _log(meeting, hours)
    claim = services.claim_submit(claim=_build(meeting), by=meeting.facilitator.user)
    return services.claim_approve(claim=claim, by=staff)


@pytest.mark.django_db
def test_late_time_after_approval_goes_into_a_supplemental_claim(past_meeting, staff):
    original = _approved(past_meeting, staff)
    late = _log(past_meeting, "1.5", miles="12")
    supplemental = _build(past_meeting)
    assert (supplemental.supplement, supplemental.status) == (1, ClaimStatus.DRAFT)
    assert supplemental.is_supplemental and not original.is_supplemental
    assert list(supplemental.entries.all()) == [late]
    assert supplemental.hours == Decimal("1.50")
    original.refresh_from_db()
    assert (original.status, original.hours, original.entries.count()) == (
        ClaimStatus.APPROVED,
        Decimal("2.00"),
        1,
    )
    # Same states and flow as the original.
    supplemental = services.claim_submit(claim=supplemental, by=past_meeting.facilitator.user)
    supplemental = services.claim_approve(claim=supplemental, by=staff)
    assert supplemental.status == ClaimStatus.APPROVED
    # A second late entry makes supplement 2, never touching the approved ones.
    _log(past_meeting, "0.5")
    assert _build(past_meeting).supplement == 2
    assert TimeEntry.objects.filter(claim__isnull=True).count() == 0


@pytest.mark.django_db
def test_late_time_after_submission_goes_into_a_supplemental_claim(past_meeting):
    _log(past_meeting, "2")
    original = services.claim_submit(claim=_build(past_meeting), by=past_meeting.facilitator.user)
    _log(past_meeting, "1")
    supplemental = _build(past_meeting)
    assert supplemental.supplement == 1
    original.refresh_from_db()
    assert (original.status, original.hours) == (ClaimStatus.SUBMITTED, Decimal("2.00"))


@pytest.mark.django_db
def test_no_late_time_means_no_supplemental_claim(past_meeting, staff):
    _approved(past_meeting, staff)
    with pytest.raises(ClaimLocked, match="no time has been logged"):
        _build(past_meeting)
    assert PaymentClaim.objects.count() == 1


@pytest.mark.django_db
def test_more_late_time_joins_the_open_supplemental_claim(past_meeting, staff):
    _approved(past_meeting, staff)
    _log(past_meeting, "1")
    first = _build(past_meeting)
    _log(past_meeting, "1")
    again = _build(past_meeting, claim=first)
    assert again.pk == first.pk and again.hours == Decimal("2.00")
    assert PaymentClaim.objects.count() == 2


@pytest.mark.django_db
def test_refreshing_a_locked_claim_by_its_page_is_refused(past_meeting, staff):
    """Near miss: "add my latest time" posted for the approved claim, not the open one."""
    original = _approved(past_meeting, staff)
    _log(past_meeting, "1")
    with pytest.raises(ClaimLocked):
        _build(past_meeting, claim=original)
    assert PaymentClaim.objects.count() == 1
    assert original.entries.count() == 1


@pytest.mark.django_db
def test_returning_the_original_folds_the_open_supplemental_into_it(past_meeting, staff):
    _log(past_meeting, "2")
    original = services.claim_submit(claim=_build(past_meeting), by=past_meeting.facilitator.user)
    late = _log(past_meeting, "1")
    supplemental = _build(past_meeting)
    returned = services.claim_return(claim=original, by=staff, comment="Add the mileage")
    assert returned.pk == original.pk and returned.status == ClaimStatus.RETURNED
    assert not PaymentClaim.objects.filter(pk=supplemental.pk).exists()
    assert late in returned.entries.all() and returned.hours == Decimal("3.00")


@pytest.mark.django_db
def test_returning_a_supplemental_when_the_original_is_open_folds_it_back(past_meeting, staff):
    fac_user = past_meeting.facilitator.user
    _log(past_meeting, "2")
    original = services.claim_submit(claim=_build(past_meeting), by=fac_user)
    _log(past_meeting, "1")
    supplemental = services.claim_submit(claim=_build(past_meeting), by=fac_user)
    services.claim_return(claim=original, by=staff, comment="Fix the date")
    kept = services.claim_return(claim=supplemental, by=staff, comment="And the hours")
    assert kept.pk == original.pk
    assert (kept.status, kept.hours, kept.review_comment) == (
        ClaimStatus.RETURNED,
        Decimal("3.00"),
        "And the hours",
    )
    assert PaymentClaim.objects.count() == 1


@pytest.mark.django_db
def test_an_entry_cannot_be_in_two_claims_and_two_claims_cannot_be_open(past_meeting, staff):
    """The database refuses both, whatever a service does."""
    original = _approved(past_meeting, staff)
    entry = original.entries.get()
    late = _log(past_meeting, "1")
    supplemental = _build(past_meeting)
    # One foreign key per entry: putting it in the supplemental claim takes it out of the
    # approved one, which the services refuse (ClaimLocked) and a rebuild never does.
    assert TimeEntry._meta.get_field("claim").many_to_one
    assert set(supplemental.entries.all()) == {late}
    assert set(original.entries.all()) == {entry}
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.create(
            facilitator=past_meeting.facilitator, month=original.month, supplement=2
        )  # a second open (draft) claim for the month
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.create(
            facilitator=past_meeting.facilitator,
            month=original.month,
            supplement=1,
            status=ClaimStatus.APPROVED,
        )  # the same supplement number twice


@pytest.mark.django_db
def test_csv_marks_supplemental_claims(past_meeting, staff, client):
    original = _approved(past_meeting, staff)
    _log(past_meeting, "1")
    supplemental = services.claim_submit(
        claim=_build(past_meeting), by=past_meeting.facilitator.user
    )
    services.claim_approve(claim=supplemental, by=staff)
    client.force_login(staff)
    response = client.get(reverse("meetings:claims-csv"))
    lines = response.content.decode().splitlines()
    header = lines[0].split(",")
    assert header[-2:] == ["claim_type", "supplement"]
    rows = {int(line.split(",")[0]): line.split(",") for line in lines[1:]}
    assert rows[original.pk][-2:] == ["original", "0"]
    assert rows[supplemental.pk][-2:] == ["supplemental", "1"]
    assert rows[original.pk][3] == rows[supplemental.pk][3]  # the same month


@pytest.mark.django_db
def test_facilitator_builds_a_supplemental_claim_from_the_claims_page(past_meeting, staff, client):
    _approved(past_meeting, staff)
    _log(past_meeting, "1")
    client.force_login(past_meeting.facilitator.user)
    page = client.get(reverse("meetings:claims"))
    assert _month(past_meeting).strftime("%Y-%m") in page.content.decode()
    response = client.post(reverse("meetings:claims"), {"month": _month(past_meeting).isoformat()})
    supplemental = PaymentClaim.objects.get(supplement=1)
    assert response.status_code == 302
    page = client.get(reverse("meetings:claim", args=[supplemental.pk]))
    assert "Supplemental payment claim 1" in page.content.decode()
    # Another facilitator does not see it (404, not 403).
    other = factories.FacilitatorFactory(with_user=True)
    client.force_login(other.user)
    assert client.get(reverse("meetings:claim", args=[supplemental.pk])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_supplemental_builds_make_one_claim_and_claim_each_entry_once():
    facilitator = factories.FacilitatorFactory(with_user=True)
    start = in_days(-2)
    meeting = factories.MeetingFactory(
        facilitator=facilitator,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status=MeetingStatus.SCHEDULED,
    )
    staff_user = factories.UserFactory(role=Role.OFFICE_STAFF)
    _approved(meeting, staff_user)
    late = [_log(meeting, "1") for _ in range(3)]
    barrier = threading.Barrier(3)
    results, errors = [], []

    def build():
        try:
            barrier.wait(timeout=30)
            results.append(_build(meeting).pk)
        except Exception as exc:  # noqa: BLE001 (asserted below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(results)) == 1  # every builder got the one supplemental claim
    claims = PaymentClaim.objects.order_by("supplement")
    assert [c.supplement for c in claims] == [0, 1]
    assert set(claims[1].entries.all()) == set(late)
    assert claims[1].hours == Decimal("3.00")
