"""Real browser: a facilitator schedules a meeting, then records its outcome."""

import datetime

import pytest
from django.utils import timezone

from fiep_requests.models import RequestStatus
from meetings.clock import local_zone
from meetings.models import Meeting, MeetingStatus
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_schedules_then_records_outcome(page, live_server):
    facilitator = factories.FacilitatorFactory(with_user=True)
    assignment = factories.AssignmentFactory(facilitator=facilitator)
    case = assignment.request
    login(page, live_server, facilitator.user.username, factories.PASSWORD)

    page.goto(f"{live_server.url}/meetings/case/{case.pk}/schedule/")
    assert page.get_by_role("heading", level=1).inner_text() == "Schedule the meeting"
    assert_accessible(page, "schedule")
    day = timezone.localdate(timezone.now(), local_zone()) + datetime.timedelta(days=14)
    # Required fields say so in their label, as on every form.
    page.get_by_label("Date (required)", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Format").select_option("in_person")
    page.get_by_label("Location or link").fill("Prairie Hills district office, Room 4")
    screenshot(page, "meetings-schedule")
    page.get_by_role("button", name="Schedule and send invitations").click()

    assert "The meeting is scheduled" in page.locator("[role=status]").inner_text()
    assert_accessible(page, "meeting detail")
    meeting = Meeting.objects.get(request=case)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.participants.filter(role="parent").exists()  # prefilled from the request

    # Time passes: the meeting took place yesterday.
    start = meeting.starts_at - datetime.timedelta(days=15)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30)
    )
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record the outcome").first.click()
    assert_accessible(page, "outcome form")
    page.get_by_label("Was the meeting held?").select_option("held")
    page.get_by_label("Actual start").fill("09:35")
    page.get_by_label("Actual end").fill("11:05")
    page.get_by_label("Consensus", exact=True).select_option("some")
    page.get_by_label("Was the IEP completed?").select_option("yes")
    page.get_by_label("Next step").select_option("reconvene")
    page.get_by_label("Attended: Parent or guardian").fill("2")
    page.locator("#id_i-0-description").fill("Reading services")
    page.locator("#id_i-0-resolved").check()
    page.locator("#id_i-1-description").fill("Placement")
    screenshot(page, "meetings-outcome")
    page.get_by_role("button", name="Record the outcome").click()

    assert "The outcome is recorded" in page.locator("[role=status]").inner_text()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.consensus) == (MeetingStatus.HELD, "some")
    assert meeting.request.status == RequestStatus.HELD
    assert list(meeting.issues.order_by("id").values_list("resolved", flat=True)) == [True, False]
    screenshot(page, "meetings-detail-held")


def test_staff_and_facilitator_pages_are_accessible(page, live_server):
    from meetings import services

    staff = factories.staff_user()
    facilitator = factories.FacilitatorFactory(with_user=True)
    start = timezone.now() + datetime.timedelta(days=3)
    upcoming = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    past = timezone.now() - datetime.timedelta(days=20)
    late = factories.MeetingFactory(
        facilitator=facilitator, starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    services.time_entry_log(
        meeting=late,
        by=facilitator.user,
        worked_on=timezone.localdate(past, local_zone()),
        kind="meeting",
        hours="2",
        miles="12",
    )
    claim = services.claim_build(
        facilitator=facilitator,
        month=timezone.localdate(past, local_zone()).replace(day=1),
        by=facilitator.user,
    )
    services.claim_submit(claim=claim, by=facilitator.user)
    login(page, live_server, staff.username, factories.PASSWORD)
    for path, name in [
        ("/meetings/", "meetings-calendar"),
        ("/meetings/claims/", "meetings-claims"),
        (f"/meetings/claims/{claim.pk}/", "meetings-claim-review"),
        ("/staff/", "meetings-staff-home"),
        (f"/meetings/{upcoming.pk}/reschedule/", "meetings-reschedule"),
        (f"/meetings/{upcoming.pk}/cancel/", "meetings-cancel"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page, path)
        screenshot(page, name)
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, facilitator.user.username, factories.PASSWORD)
    for path, name in [
        ("/meetings/mine/", "meetings-mine"),
        (f"/meetings/{late.pk}/time/", "meetings-time"),
        ("/staff/", "meetings-facilitator-home"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page, path)
        screenshot(page, name)
    page.get_by_role("button", name="Español").click()
    # The facilitator's landing page is titled for the role, in the chosen language.
    assert page.get_by_role("heading", level=1).inner_text() in {
        "Inicio del facilitador",
    }
    page.goto(live_server.url + "/meetings/mine/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mis reuniones"
    assert_accessible(page, "my meetings in Spanish")
    screenshot(page, "meetings-mine-es")
