"""Staff assign from the ranked suggestions; the facilitator logs in and accepts."""

import datetime

import pytest

from facilitators.models import Assignment, AssignmentStatus
from fiep.models import Role
from fiep_requests.models import RequestStatus
from tests.facilitators.factories import (
    ConflictFactory,
    SpokenLanguageFactory,
    TrainingFactory,
    UnavailabilityFactory,
)
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    UserFactory,
)

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case_and_roster(db):
    district = DistrictFactory(region__name="Central", name="Capitol Valley R-III")
    spanish = SpokenLanguageFactory(name="Spanish")
    fiona = FacilitatorFactory(
        first_name="Fiona",
        last_name="Field",
        with_user=True,
        user__username="fiona",
    )
    fiona.regions.add(district.region)
    fiona.languages.add(spanish)
    TrainingFactory(facilitator=fiona)
    UnavailabilityFactory(
        facilitator=fiona, starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 1, 8)
    )
    other = FacilitatorFactory(first_name="Oscar", last_name="Other")
    ConflictFactory(facilitator=other, district=district, reason="Former employer")
    TrainingFactory(facilitator=other, continuing_due_on=datetime.date(2020, 1, 1))
    case = FacilitationRequestFactory(
        status=RequestStatus.APPROVED, district=district, parent_language="es"
    )
    staff = UserFactory(username="olivia", role=Role.OFFICE_STAFF)
    return case, fiona, other, staff


def test_staff_assigns_and_facilitator_accepts(page, live_server, case_and_roster):
    case, fiona, other, staff = case_and_roster
    login(page, live_server, "olivia", PASSWORD)
    page.goto(f"{live_server.url}/facilitators/")
    assert page.get_by_role("heading", level=1).inner_text() == "Facilitator roster"
    assert page.get_by_text("Overdue", exact=True).count() == 1
    assert_accessible(page, "roster")
    screenshot(page, "facilitators-roster")

    page.get_by_role("link", name="Field, Fiona").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fiona Field"
    assert_accessible(page, "facilitator detail")
    page.get_by_role("link", name="Add a conflict of interest").click()
    assert_accessible(page, "conflict form")
    page.goto(f"{live_server.url}/facilitators/{fiona.pk}/edit/")
    assert_accessible(page, "facilitator form")

    page.goto(f"{live_server.url}/facilitators/requests/{case.pk}/suggestions/")
    assert_accessible(page, "suggestions")
    page.get_by_label("Search the roster by name or e-mail").fill("Other")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_text("Conflict of interest with Capitol Valley R-III").count() == 1
    assert_accessible(page, "suggestions search")
    page.get_by_label("Note to Fiona Field (optional)").fill("Spanish-speaking family")
    page.get_by_role("button", name="Assign Fiona Field").click()
    assert page.get_by_text(f"{case.reference} is offered to Fiona Field").count() == 1
    screenshot(page, "facilitators-assigned")
    page.get_by_role("link", name="Record an objection to the facilitator").click()
    assert_accessible(page, "objection form")
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, "fiona", PASSWORD)
    assert page.get_by_text("My cases needing a response").count() == 1
    assert_accessible(page, "staff home with the facilitator's panel")
    page.goto(f"{live_server.url}/facilitators/my/")
    assert_accessible(page, "my cases")
    page.get_by_role("link", name=case.reference).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Case {case.reference}"
    assert_accessible(page, "my case")
    screenshot(page, "facilitators-my-case")
    page.get_by_label("I have no conflict with this family or district.").check()
    page.get_by_role("button", name="Accept", exact=True).click()
    assert page.get_by_text("You accepted the case.").count() == 1
    assert Assignment.objects.get(request=case).status == AssignmentStatus.ACCEPTED

    page.goto(f"{live_server.url}/facilitators/my/profile/")
    assert_accessible(page, "my profile")
    screenshot(page, "facilitators-my-profile")


def test_phone_my_cases_accessible(phone_page, live_server, case_and_roster):
    case, fiona, _other, _staff = case_and_roster
    Assignment.objects.create(request=case, facilitator=fiona)
    login(phone_page, live_server, "fiona", PASSWORD)
    phone_page.goto(f"{live_server.url}/facilitators/my/cases/{case.pk}/")
    assert_accessible(phone_page, "my case on a phone")
    screenshot(phone_page, "facilitators-my-case-phone")
