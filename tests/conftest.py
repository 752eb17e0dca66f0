import pytest
from django.core.cache import cache

from fiep.models import Role

from . import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and axes data must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db):
    return factories.DistrictFactory()


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.OFFICE_STAFF)


@pytest.fixture
def administrator(db):
    return factories.UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client
