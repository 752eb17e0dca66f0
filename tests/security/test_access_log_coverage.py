"""Every page that shows a student's name to someone other than the requester through
their own link writes an access-log entry first (34 CFR 300.614).

Each URL pattern is requested as program staff (or the representative allowed user);
if the answer names a student of the world, the access log must have grown.
"""

import pytest
from django.db import transaction

from fiep.models import AccessLog
from fiep_requests.models import FacilitationRequest

from .helpers import client_for, request_as
from .matrix import MATRIX
from .test_headers import representative

#: Pages that may name a student without a log entry, and why.
NOT_LOGGED = {
    # The requester's own page through their own link (the brief's one exception).
    "fiep_requests:status": "the requester's own status page",
    "fiep_requests:submitted": "the requester's own confirmation, right after sending",
    # A work list (tracking number, name, status, district) for the office and the
    # district's liaison: opening a case logs, and the CSV export logs one row per student.
    "fiep_requests:inbox": "work list; the case page and the CSV export are logged",
}


def _student_names():
    return [
        name
        for first, last in FacilitationRequest.objects.values_list(
            "student_first_name", "student_last_name"
        )
        for name in [f"{first} {last}"]
    ]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_pages_naming_a_student_write_the_access_log(name, world):
    entry = MATRIX[name]
    role = representative(entry)
    names = _student_names()
    with transaction.atomic():
        client = client_for(world, role, entry)
        before = AccessLog.objects.count()
        response = request_as(world, name, entry, role, client=client)
        after = AccessLog.objects.count()
        transaction.set_rollback(True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    shown = [n for n in names if n in text]
    if shown and name not in NOT_LOGGED:
        assert after > before, f"{name} as {role} names {shown[0]!r} without an access-log entry"
