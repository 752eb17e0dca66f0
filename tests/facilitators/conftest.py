import datetime

import pytest

from fiep_requests.models import RequestStatus
from tests.factories import DistrictFactory, FacilitationRequestFactory, FacilitatorFactory

from .factories import SpokenLanguageFactory

MEETING_DAY = datetime.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Many users per test: the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roster(db):
    """A crafted roster for one approved Spanish-speaking request in region "Central".

    Documented order: Ana (region, Spanish, 0 recent), Ben (region, Spanish, 2 recent),
    Cal (region, no Spanish, 0 recent), Eva (other region, Spanish, 0 recent).
    """
    central = DistrictFactory(region__name="Central").region
    other = DistrictFactory(region__name="Southeast").region
    district = DistrictFactory(region=central, name="Capitol Valley R-III")
    spanish = SpokenLanguageFactory(name="Spanish")
    people = {}
    for name, regions, speaks in [
        ("Ana", [central], True),
        ("Ben", [central], True),
        ("Cal", [central], False),
        ("Eva", [other], True),
    ]:
        f = FacilitatorFactory(first_name=name, last_name=f"{name}son", with_user=True)
        f.regions.set(regions)
        if speaks:
            f.languages.add(spanish)
        people[name] = f
    # Ben has two recent assignments on other (closed) cases.
    from tests.factories import AssignmentFactory

    for _ in range(2):
        AssignmentFactory(facilitator=people["Ben"], request__status=RequestStatus.CLOSED)
    request = FacilitationRequestFactory(
        status=RequestStatus.APPROVED,
        district=district,
        parent_language="es",
        meeting_date_set=MEETING_DAY,
    )
    return {"request": request, "district": district, "other_region": other, **people}
