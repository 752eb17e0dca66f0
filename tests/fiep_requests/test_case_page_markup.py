"""The staff case page in each open state: every id once, every form label on its own box."""

import collections
import re

import pytest
from django.urls import reverse

from fiep_requests.models import RequestStatus
from tests.factories import FacilitationRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.SUBMITTED,
        RequestStatus.UNDER_REVIEW,
        RequestStatus.AWAITING_CONSENT,
        RequestStatus.APPROVED,
    ],
)
def test_case_page_ids_are_unique_and_labels_point_at_their_own_form(staff_client, status):
    case = FacilitationRequestFactory(status=status)
    html = staff_client.get(reverse("fiep_requests:case", args=[case.reference])).content.decode()
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [value for value, count in ids.items() if count > 1] == []
    # Actions asking for a reason (withdraw, cancel, ...) each label their own box.
    reasons = re.findall(r'<label[^>]*for="(id_[a-z-]*-?reason)"', html)
    assert len(reasons) == len(set(reasons)) >= 1
    assert all(target in ids for target in reasons)
    assert 'for="id_reason"' not in html and 'id="id_reason"' not in html
