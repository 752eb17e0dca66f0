import datetime

import pytest
from django.utils import timezone

from evaluations.models import Evaluation
from facilitators.models import Assignment, ContractStatus, Facilitator
from facilitators.selectors import roster
from fiep.models import District
from fiep_requests.models import FacilitationRequest, StatusChange
from meetings.models import Meeting
from reports.history.importer import HistoryImportError, history_import
from reports.models import DisputeStatistics, HistoryImport
from tests import factories

from .history_helpers import MEETINGS_HEADER, counts, csv_bytes, example_files

pytestmark = pytest.mark.django_db

EMPTY = {
    "Region": 0,
    "District": 0,
    "Facilitator": 0,
    "FacilitationRequest": 0,
    "Meeting": 0,
    "Assignment": 0,
    "Evaluation": 0,
    "DisputeStatistics": 0,
    "HistoryImport": 0,
}

DISTRICTS = csv_bytes("code,name,region", "048-066,Riverbend R-VI,Northeast")


def test_history_import_examples_creates_every_record():
    result = history_import(files=example_files())

    assert result.summary == {
        "districts.csv": {"created": 3, "updated": 0, "unchanged": 0},
        "facilitators.csv": {"created": 3, "updated": 0, "unchanged": 0},
        "meetings.csv": {"created": 8, "updated": 0, "unchanged": 0},
        "evaluations.csv": {"created": 6, "updated": 0, "unchanged": 0},
        "dispute_stats.csv": {"created": 3, "updated": 0, "unchanged": 0},
    }
    assert counts() == {
        "Region": 2,
        "District": 3,
        "Facilitator": 3,
        "FacilitationRequest": 8,
        "Meeting": 5,
        "Assignment": 6,
        "Evaluation": 6,
        "DisputeStatistics": 3,
        "HistoryImport": 1,
    }
    request = FacilitationRequest.objects.get(reference="MO-2016-001")
    assert request.imported is True
    assert request.status == "closed"
    assert request.received_on == datetime.date(2016, 9, 6)
    assert request.requested_by == "parent"
    assert request.district.code == "048-066"
    assert request.student_last_name == ""
    assert request.meeting.status == "held"
    assert request.meeting.held_on == datetime.date(2016, 9, 29)
    assert request.meeting.consensus == "all"
    assert request.meeting.imported is True
    assert request.meeting.facilitator.email == "jordan.rivera@example.org"
    assignment = Assignment.objects.get(request=request)
    assert (assignment.status, assignment.imported) == ("accepted", True)
    # The request's day (noon in the state's zone), not the day of the import: ten
    # imported years must not look "assigned today" to the rotation and the roster.
    assert timezone.localtime(assignment.assigned_at) == timezone.make_aware(
        datetime.datetime(2016, 9, 6, 12)
    )
    assert roster().get(pk=jordan_pk(request)).recent_assignments == 0
    assert StatusChange.objects.filter(request=request, to_status="closed").count() == 1
    statuses = dict(FacilitationRequest.objects.values_list("reference", "status"))
    assert statuses["MO-2017-003"] == "withdrawn"
    assert statuses["MO-2017-004"] == "cancelled"
    assert statuses["MO-2017-005"] == "denied"
    assert not Meeting.objects.filter(request__reference="MO-2017-004").exists()
    assert Assignment.objects.filter(request__reference="MO-2017-004").count() == 1
    assert Meeting.objects.get(request__reference="MO-2017-002").consensus == ""
    jordan = Facilitator.objects.get(email="jordan.rivera@example.org")
    assert jordan.imported is True
    assert sorted(r.name for r in jordan.regions.all()) == ["Northeast", "Southwest"]
    assert [lang.name for lang in jordan.languages.all()] == ["Spanish"]
    hale = Facilitator.objects.get(email="morgan.hale@example.org")
    assert hale.contract_status == ContractStatus.INACTIVE
    assert sorted(lang.name for lang in hale.languages.all()) == ["Spanish", "Vietnamese"]
    unanswered = Evaluation.objects.get(response_id="P-0004")
    assert (unanswered.source, unanswered.would_recommend) == ("imported", None)
    assert unanswered.submitted_on is None
    assert Evaluation.objects.get(response_id="P-0005").satisfaction == ""
    stats = DisputeStatistics.objects.get(start_year=2017)
    assert (stats.child_complaints, stats.allegations, stats.mediations) == (117, 301, None)
    assert stats.imported is True
    record = HistoryImport.objects.get()
    assert record.files == list(result.summary)
    assert record.summary == result.summary


def jordan_pk(request):
    return request.meeting.facilitator_id


def test_history_import_twice_changes_nothing():
    history_import(files=example_files())
    before = counts()
    snapshot = list(Meeting.objects.values().order_by("id"))

    result = history_import(files=example_files())

    after = counts()
    assert after.pop("HistoryImport") == before.pop("HistoryImport") + 1
    assert after == before
    assert list(Meeting.objects.values().order_by("id")) == snapshot
    assert all(
        s == {"created": 0, "updated": 0, "unchanged": s["unchanged"]} and s["unchanged"] > 0
        for s in result.summary.values()
    )
    assert result.lines()[2] == "meetings.csv: 0 created, 0 updated, 8 unchanged"


def test_history_import_changed_rows_update_their_records():
    history_import(files=example_files())
    files = example_files()
    files["districts.csv"] = files["districts.csv"].replace(b"Oak Hollow C-2", b"Oak Hollow R-2")
    files["meetings.csv"] = files["meetings.csv"].replace(
        b"2016-10-11,district,casey.lin@example.org,held,2016-11-02,some",
        b"2016-10-11,district,jordan.rivera@example.org,held,2016-11-03,all",
    )
    files["evaluations.csv"] = files["evaluations.csv"].replace(
        b"P-0003,parent,2016-11-10,dissatisfied,no", b"P-0003,parent,2016-11-10,satisfied,yes"
    )
    files["dispute_stats.csv"] = files["dispute_stats.csv"].replace(b"117,301,,", b"117,301,70,")
    files["facilitators.csv"] = files["facilitators.csv"].replace(
        b"Casey,Lin,Southwest,,yes", b"Casey,Lin-Park,Southwest;Northeast,,no"
    )
    before = counts()

    result = history_import(files=files)

    assert result.summary["districts.csv"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert result.summary["facilitators.csv"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert result.summary["meetings.csv"] == {"created": 0, "updated": 1, "unchanged": 7}
    assert result.summary["evaluations.csv"] == {"created": 0, "updated": 1, "unchanged": 5}
    assert result.summary["dispute_stats.csv"] == {"created": 0, "updated": 1, "unchanged": 2}
    after = counts()
    assert after.pop("HistoryImport") == before.pop("HistoryImport") + 1
    assert after == before
    assert District.objects.get(code="048-067").name == "Oak Hollow R-2"
    meeting = Meeting.objects.get(request__reference="MO-2016-002")
    assert (meeting.held_on, meeting.consensus) == (datetime.date(2016, 11, 3), "all")
    assert meeting.facilitator.email == "jordan.rivera@example.org"
    assert Assignment.objects.get(request__reference="MO-2016-002").facilitator == (
        meeting.facilitator
    )
    evaluation = Evaluation.objects.get(response_id="P-0003")
    assert (evaluation.satisfaction, evaluation.would_recommend) == ("satisfied", True)
    assert DisputeStatistics.objects.get(start_year=2017).mediations == 70
    casey = Facilitator.objects.get(email="casey.lin@example.org")
    assert casey.last_name == "Lin-Park"
    assert casey.contract_status == ContractStatus.INACTIVE
    assert sorted(r.name for r in casey.regions.all()) == ["Northeast", "Southwest"]


def test_history_import_status_change_cancels_meeting_and_drops_facilitator():
    history_import(files=example_files())
    files = {
        "meetings.csv": csv_bytes(
            MEETINGS_HEADER, "MO-2017-002,048-066,2017-05-30,parent,,withdrawn,,"
        )
    }

    result = history_import(files=files)

    assert result.summary["meetings.csv"] == {"created": 0, "updated": 1, "unchanged": 0}
    request = FacilitationRequest.objects.get(reference="MO-2017-002")
    assert request.status == "withdrawn"
    assert (request.meeting.status, request.meeting.held_on) == ("cancelled", None)
    assert not Assignment.objects.filter(request=request).exists()
    assert history_import(files=files).summary["meetings.csv"]["unchanged"] == 1


def test_history_import_bom_case_spaces_and_column_order_accepted():
    files = {
        "districts.csv": (
            "\ufeff Region ,CODE,Name\r\nNortheast,048-066,Riverbend R-VI\r\n\r\n"
        ).encode(),
    }

    history_import(files=files)

    district = District.objects.get()
    assert (district.code, district.name, district.region.name) == (
        "048-066",
        "Riverbend R-VI",
        "Northeast",
    )


def test_history_import_refers_to_existing_records():
    district = factories.DistrictFactory(code="100-001")
    facilitator = factories.FacilitatorFactory(email="Pat@Example.org")
    files = {
        "meetings.csv": csv_bytes(
            MEETINGS_HEADER, "MO-1,100-001,2018-01-02,joint,pat@example.org,held,2018-01-20,some"
        ),
        "evaluations.csv": csv_bytes(
            "meeting_reference,response_id,respondent_role", "MO-1,A,parent"
        ),
    }

    history_import(files=files)

    meeting = Meeting.objects.get(request__reference="MO-1")
    assert meeting.request.district == district
    assert meeting.facilitator == facilitator
    assert meeting.evaluations.get().respondent_role == "parent"


def test_history_import_evaluation_of_existing_app_meeting():
    meeting = factories.MeetingFactory(held=True, request__reference="FIEP-2026-0100")

    history_import(
        files={
            "evaluations.csv": csv_bytes(
                "meeting_reference,response_id,respondent_role,satisfaction",
                "FIEP-2026-0100,paper-1,advocate,satisfied",
            )
        }
    )

    assert meeting.evaluations.get().source == "imported"


def test_history_import_dry_run_writes_nothing():
    result = history_import(files=example_files(), dry_run=True)

    assert result.dry_run is True
    assert result.summary["meetings.csv"] == {"created": 8, "updated": 0, "unchanged": 0}
    assert counts() == EMPTY


def test_history_import_unknown_file_name_refused():
    with pytest.raises(ValueError):
        history_import(files={"people.csv": b"a\n"})


def test_history_import_problem_list_is_capped():
    rows = [f"X-{n},Name,Region,extra" for n in range(250)]
    with pytest.raises(HistoryImportError) as caught:
        history_import(files={"districts.csv": csv_bytes("code,name,region", *rows)})

    problems = caught.value.problems
    assert len(problems) == 201
    assert problems[0] == "districts.csv:2: the row has 4 cells but the header has 3"
    assert problems[-1] == "… and 50 more problems"
    assert counts() == EMPTY


def test_history_import_query_count_bounded():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def files(n, offset):
        rows = [
            f"Q-{offset + i},048-066,2017-01-02,parent,jordan.rivera@example.org,"
            "held,2017-02-01,all"
            for i in range(n)
        ]
        return {
            "districts.csv": DISTRICTS,
            "facilitators.csv": csv_bytes(
                "email,first_name,last_name", "jordan.rivera@example.org,Jordan,Rivera"
            ),
            "meetings.csv": csv_bytes(MEETINGS_HEADER, *rows),
        }

    with CaptureQueriesContext(connection) as few:
        history_import(files=files(10, 0))
    with CaptureQueriesContext(connection) as many:
        history_import(files=files(1000, 100_000))

    assert FacilitationRequest.objects.count() == 1010
    # Reads are one query per kind of record; writes grow only with bulk batches
    # (SQLite allows 999 parameters per statement, so ~20 requests per INSERT).
    assert len(many) < len(few) + 200
    assert len(many) < 1000 / 4


def test_history_import_not_held_case_later_held_gets_meeting():
    history_import(files=example_files())
    files = {
        "meetings.csv": csv_bytes(
            MEETINGS_HEADER, "MO-2017-003,096-001,2017-06-12,parent,,held,2017-06-30,some"
        )
    }

    result = history_import(files=files)

    assert result.summary["meetings.csv"] == {"created": 0, "updated": 1, "unchanged": 0}
    request = FacilitationRequest.objects.get(reference="MO-2017-003")
    assert request.status == "closed"
    assert (request.meeting.status, request.meeting.consensus) == ("held", "some")
    assert list(request.status_changes.values_list("to_status", flat=True)) == [
        "withdrawn",
        "closed",
    ]


def test_history_import_facilitator_columns_absent_leave_regions_and_trial():
    facilitator = factories.FacilitatorFactory(
        email="t@example.org", contract_status=ContractStatus.TRIAL
    )
    region = factories.RegionFactory(name="Central")
    facilitator.regions.add(region)
    files = {"facilitators.csv": csv_bytes("email,first_name,last_name", "t@example.org,Tia,Ng")}

    result = history_import(files=files)

    facilitator.refresh_from_db()
    assert result.summary["facilitators.csv"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert (facilitator.first_name, facilitator.contract_status) == ("Tia", ContractStatus.TRIAL)
    assert facilitator.imported is False
    assert list(facilitator.regions.all()) == [region]
