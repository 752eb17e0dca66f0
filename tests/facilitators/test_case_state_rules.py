"""The facilitators app's case permissions combine role AND the case's status."""

import pytest

from fiep.models import Role
from fiep_requests.enums import RequestStatus
from tests.factories import (
    DistrictFactory,
    FacilitationRequestFactory,
    UserFactory,
    users_by_role,
)

pytestmark = pytest.mark.django_db

#: perm → (roles allowed, the one status it is allowed in)
EXPECTED = {
    "facilitators.assign_case": ({"staff", "admin"}, RequestStatus.APPROVED),
    "facilitators.record_objection": ({"staff", "admin"}, RequestStatus.ASSIGNED),
    "facilitators.decline_case": ({"facilitator"}, RequestStatus.ASSIGNED),
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_case_permission_for_every_role_and_status(perm):
    district = DistrictFactory()
    users = users_by_role(district)
    users["facilitator_without_profile"] = UserFactory(role=Role.FACILITATOR)
    roles, allowed_status = EXPECTED[perm]
    problems = []
    for status in RequestStatus:
        case = FacilitationRequestFactory.build(status=status, district=district)
        for role, user in users.items():
            expected = role in roles and status == allowed_status
            if user.has_perm(perm, case) != expected:
                problems.append(f"{perm} as {role} on {status}: expected {expected}")
    assert problems == []
