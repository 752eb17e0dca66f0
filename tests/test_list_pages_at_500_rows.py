"""Every staff list page makes the same number of queries with 1 row and with 500 (issue 16),
on its first page and on its last ("page=last": keyset pages, no offset).

Rows are made with bulk_create so 500 of them stay quick. No timing here: bench/run times.
"""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from facilitators.models import Assignment, Facilitator, Training
from fiep.models import AccessLog, OutboxMessage, Region, Role
from fiep.schoolyear import current_school_year
from fiep_requests.models import DestructionCertificate, FacilitationRequest
from meetings.models import PaymentClaim
from reports.models import ReportRun
from tests import factories
from tests.reports.bulk import bulk_history

MANY = 500
_serial = itertools.count()


@pytest.fixture
def office_admin_client(db, client):
    client.force_login(factories.UserFactory(role=Role.ADMINISTRATOR))
    return client


def _both_ends(client, url, params=None):
    """GET the first and the last page; both must answer 200."""

    def run():
        first = client.get(url, params or {})
        last = client.get(url, {**(params or {}), "page": "last"})
        assert first.status_code == last.status_code == 200
        return last

    return run


@pytest.mark.parametrize(
    "params", [{}, {"status": "submitted"}, {"ordering": "district"}, {"q": "LIST"}]
)
def test_inbox(staff_client, query_guard, params):
    district = factories.DistrictFactory()
    facilitator = factories.FacilitatorFactory()

    def add(n):
        requests = FacilitationRequest.objects.bulk_create(
            FacilitationRequest(
                reference=f"LIST-{next(_serial):06d}",
                received_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300),
                requested_by="parent",
                district=district,
                consent_token=f"list-c-{next(_serial)}",
                status_token=f"list-s-{next(_serial)}",
            )
            for i in range(n)
        )
        # every other one assigned: the facilitator's name is read for the page only
        Assignment.objects.bulk_create(
            Assignment(request=r, facilitator=facilitator, status="accepted") for r in requests[::2]
        )

    query_guard(
        2 * 12, _both_ends(staff_client, reverse("fiep_requests:inbox"), params), add=add, many=MANY
    )


@pytest.mark.parametrize("params", [{}, {"status": "approved"}])
def test_claims(staff_client, query_guard, params):
    facilitators = [factories.FacilitatorFactory() for _ in range(5)]
    months = (
        datetime.date(2000 + i // 12, i % 12 + 1, 1) for i in itertools.count()
    )  # distinct months

    def add(n):
        PaymentClaim.objects.bulk_create(
            PaymentClaim(facilitator=facilitators[i % 5], month=next(months), status="approved")
            for i in range(n)
        )

    query_guard(
        2 * 7, _both_ends(staff_client, reverse("meetings:claims"), params), add=add, many=MANY
    )


@pytest.mark.parametrize(
    ("period", "queries"),
    [
        # closed school years: their counts are stored (reports.tracking) and read back
        ({"start": "2016-07-01", "end": "2018-06-30"}, 2 * 9),
        # part of a closed year: counted live
        ({"start": "2016-07-01", "end": "2017-03-31"}, 2 * 9),
        # a closed year stored, and part of the next counted live
        ({"start": "2016-07-01", "end": "2018-03-31"}, 2 * 10),
        # the default period, the current school year: counted live, its last page too (a
        # page link keeps the default period)
        ({}, 2 * 9),
    ],
)
def test_evaluation_tracking(staff_client, query_guard, period, queries):
    url = reverse("evaluations:tracking")
    start = datetime.date(2016, 7, 1) if period else current_school_year().start
    days = 730 if period else max((timezone.localdate() - start).days, 41)

    def add(n):  # then the counts are stored again: the page reads closed years stored
        bulk_history(n, start=start, days=days)
        staff_client.get(url, period)

    query_guard(queries, _both_ends(staff_client, url, period), add=add, many=MANY)


def _around_today():
    today = timezone.localdate()
    return {
        "since": (today - datetime.timedelta(days=1)).isoformat(),
        "until": (today + datetime.timedelta(days=1)).isoformat(),
    }


@pytest.mark.parametrize("params", [{}, {"case_reference": "fiep-2026-0001"}, "dates"])
def test_access_log(office_admin_client, query_guard, params):
    if params == "dates":
        params = _around_today()

    def add(n):
        AccessLog.objects.bulk_create(
            AccessLog(case_reference="FIEP-2026-0001", action="view", purpose="test")
            for _ in range(n)
        )

    query_guard(
        2 * 8, _both_ends(office_admin_client, reverse("access-log"), params), add=add, many=MANY
    )


def test_roster(staff_client, query_guard):
    region = Region.objects.create(name="Roster region")

    def add(n):
        facilitators = Facilitator.objects.bulk_create(
            Facilitator(email=f"roster{next(_serial)}@example.org", first_name="A", last_name="B")
            for _ in range(n)
        )
        Facilitator.regions.through.objects.bulk_create(
            Facilitator.regions.through(facilitator=f, region=region) for f in facilitators
        )
        Training.objects.bulk_create(
            Training(
                facilitator=f,
                course="initial",
                completed_on=datetime.date(2025, 1, 1),
                hours=6,
                continuing_due_on=datetime.date(2026, 1, 1),
            )
            for f in facilitators
        )

    query_guard(
        2 * 12, _both_ends(staff_client, reverse("facilitators:roster")), add=add, many=MANY
    )


def test_report_runs(staff_client, staff, query_guard):
    def add(n):
        ReportRun.objects.bulk_create(
            ReportRun(requested_by=staff, start="2016-07-01", end="2017-06-30") for _ in range(n)
        )

    query_guard(2 * 7, _both_ends(staff_client, reverse("reports:runs")), add=add, many=MANY)


def test_undelivered_messages(office_admin_client, query_guard):
    def add(n):
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                event="request_received",
                dedupe_key=f"list-{next(_serial)}",
                recipient_email="someone@example.org",
                language="en",
                subject="Subject",
                body_text="Text",
                status="failed",
                message_id=f"<list-{next(_serial)}@example.org>",
            )
            for _ in range(n)
        )

    query_guard(
        2 * 7, _both_ends(office_admin_client, reverse("outbox-undelivered")), add=add, many=MANY
    )


def test_destruction_certificates(staff_client, query_guard):
    def add(n):
        DestructionCertificate.objects.bulk_create(
            DestructionCertificate(
                reason="retention",
                retention_years=5,
                case_count=1,
                case_references=["FIEP-2019-0001"],
                categories=["student"],
            )
            for _ in range(n)
        )

    query_guard(
        2 * 7,
        _both_ends(staff_client, reverse("fiep_requests:destruction-certificates")),
        add=add,
        many=MANY,
    )
