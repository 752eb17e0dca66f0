"""Every kind of bad row is reported as FILE:LINE: column COLUMN: … and nothing is written."""

import pytest

from reports.history.importer import HistoryImportError, history_import
from tests import factories

from .history_helpers import MEETINGS_HEADER, counts, csv_bytes, example_files

pytestmark = pytest.mark.django_db


def problems_of(files):
    before = counts()
    with pytest.raises(HistoryImportError) as caught:
        history_import(files=files)
    assert counts() == before  # nothing written
    return caught.value.problems


def with_example(name, *lines):
    files = example_files()
    files[name] = files[name] + csv_bytes(*lines)
    return files


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-30,parent,,held,2017-03-01,all"),
            "meetings.csv:10: column requested_on: '2017-02-30' is not a date like 2017-03-31 "
            "(YYYY-MM-DD)",
            id="bad-date",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,03/01/2017,parent,,held,2017-03-01,all"),
            "meetings.csv:10: column requested_on: '03/01/2017' is not a date like 2017-03-31 "
            "(YYYY-MM-DD)",
            id="us-date",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,999-999,2017-02-01,parent,,held,2017-03-01,all"),
            "meetings.csv:10: column district_code: unknown district '999-999' (not in "
            "districts.csv nor in the database)",
            id="unknown-district",
        ),
        pytest.param(
            with_example(
                "meetings.csv", "MO-9,048-066,2017-02-01,parent,nobody@example.org,held,2017-03-01,"
            ),
            "meetings.csv:10: column facilitator_email: unknown facilitator 'nobody@example.org' "
            "(not in facilitators.csv nor in the database)",
            id="unknown-facilitator",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,postponed,,"),
            "meetings.csv:10: column status: 'postponed' is not one of: held, cancelled, "
            "withdrawn, declined",
            id="status-not-allowed",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,held,2017-03-01,most"),
            "meetings.csv:10: column outcome: 'most' is not one of: all, some, none",
            id="outcome-not-allowed",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,cancelled,2017-03-01,"),
            "meetings.csv:10: column meeting_date: must be empty unless the status is held "
            "(the status is cancelled)",
            id="meeting-date-on-non-held",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,declined,,none"),
            "meetings.csv:10: column outcome: must be empty unless the status is held "
            "(the status is declined)",
            id="outcome-on-non-held",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,held,,"),
            "meetings.csv:10: column meeting_date: required when the status is held",
            id="held-without-date",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-9,048-066,2017-02-01,parent,,held,2017-01-31,"),
            "meetings.csv:10: column meeting_date: 2017-01-31 is before requested_on (2017-02-01)",
            id="held-before-request",
        ),
        pytest.param(
            with_example("meetings.csv", "MO-2016-001,048-066,2017-02-01,parent,,declined,,"),
            "meetings.csv:10: column reference: 'MO-2016-001' appears twice in this file "
            "(first on line 2)",
            id="duplicate-reference",
        ),
        pytest.param(
            with_example("districts.csv", "048-066,Another,Northeast"),
            "districts.csv:5: column code: '048-066' appears twice in this file (first on line 2)",
            id="duplicate-district",
        ),
        pytest.param(
            with_example("facilitators.csv", "Casey.Lin@example.org,C,L,,,yes"),
            "facilitators.csv:5: column email: 'casey.lin@example.org' appears twice in this "
            "file (first on line 3)",
            id="duplicate-facilitator",
        ),
        pytest.param(
            with_example("facilitators.csv", "a@example.org,A,B,Atlantis,,yes"),
            "facilitators.csv:5: column regions: unknown region 'Atlantis' (regions come from "
            "districts.csv)",
            id="unknown-region",
        ),
        pytest.param(
            with_example("facilitators.csv", "a@example.org,A,B,,,maybe"),
            "facilitators.csv:5: column active: 'maybe' is not one of: yes, no",
            id="active-not-allowed",
        ),
        pytest.param(
            with_example("facilitators.csv", "not-an-address,A,B,,,yes"),
            "facilitators.csv:5: column email: 'not-an-address' is not an e-mail address",
            id="bad-email",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-2017-004,P-9,parent,,,"),
            "evaluations.csv:8: column meeting_reference: the meeting of MO-2017-004 was not "
            "held (status cancelled)",
            id="evaluation-of-non-held",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-0000,P-9,parent,,,"),
            "evaluations.csv:8: column meeting_reference: unknown meeting 'MO-0000' (not in "
            "meetings.csv nor in the database)",
            id="evaluation-of-unknown",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-2016-001,P-0001,parent,,,"),
            "evaluations.csv:8: column response_id: 'P-0001' appears twice for meeting "
            "MO-2016-001 (first on line 2)",
            id="duplicate-response-id",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-2016-001,P-9,principal,,,"),
            "evaluations.csv:8: column respondent_role: 'principal' is not one of: parent, "
            "student, general_educator, special_educator, administrator, related_services, "
            "advocate, other",
            id="role-not-allowed",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-2016-001,P-9,parent,,happy,"),
            "evaluations.csv:8: column satisfaction: 'happy' is not one of: very_satisfied, "
            "satisfied, dissatisfied, very_dissatisfied",
            id="satisfaction-not-allowed",
        ),
        pytest.param(
            with_example("evaluations.csv", "MO-2016-001,P-9,parent,,,maybe"),
            "evaluations.csv:8: column would_recommend: 'maybe' is not one of: yes, no",
            id="recommend-not-allowed",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2018-2020,1,2,,"),
            "dispute_stats.csv:5: column school_year: '2018-2020' is not a school year like "
            "2016-2017",
            id="bad-school-year",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2018,1,2,,"),
            "dispute_stats.csv:5: column school_year: '2018' is not a school year like 2016-2017",
            id="bad-school-year-short",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2016-2017,1,2,,"),
            "dispute_stats.csv:5: column school_year: '2016-2017' appears twice in this file "
            "(first on line 3)",
            id="duplicate-school-year",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2018-2019,-4,2,,"),
            "dispute_stats.csv:5: column child_complaints: '-4' is not a whole number of 0 or more",
            id="negative-count",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2018-2019,4,2.5,,"),
            "dispute_stats.csv:5: column allegations: '2.5' is not a whole number of 0 or more",
            id="fraction-count",
        ),
        pytest.param(
            with_example("dispute_stats.csv", "2018-2019,,2,,"),
            "dispute_stats.csv:5: column child_complaints: a value is required",
            id="missing-value",
        ),
        pytest.param(
            {"districts.csv": csv_bytes("code,name", "048-066,Riverbend")},
            "districts.csv:1: column region: required column is missing",
            id="missing-column",
        ),
        pytest.param(
            {"districts.csv": csv_bytes("code,name,region,county", "048-066,Riverbend,NE,Boone")},
            "districts.csv:1: column county: unknown column (the columns of this file are: "
            "code, name, region)",
            id="unknown-column",
        ),
        pytest.param(
            {"districts.csv": csv_bytes("code,name,region,Code", "048-066,Riverbend,NE,1")},
            "districts.csv:1: column code: the column appears twice",
            id="repeated-column",
        ),
        pytest.param(
            {"districts.csv": "code,name,region\n048-066,Caf\xe9,NE\n".encode("latin-1")},
            "districts.csv:2: the file is not UTF-8 text (save it as CSV UTF-8)",
            id="not-utf8",
        ),
        pytest.param(
            {"districts.csv": b""},
            "districts.csv:1: the file is empty (no header row)",
            id="empty-file",
        ),
    ],
)
def test_history_import_bad_row_reported_and_nothing_written(files, expected):
    problems = problems_of(files)

    assert expected in problems


def test_history_import_reports_every_problem_of_every_file():
    files = example_files()
    files["districts.csv"] += csv_bytes("001-001,,Northeast")
    files["meetings.csv"] += csv_bytes(
        "MO-8,048-066,2017-02-30,mom,,held,,all", "MO-9,048-066,2017-02-01,parent,,held,2017-03-01,"
    )
    files["dispute_stats.csv"] += csv_bytes("2019-2020,x,1,,")

    problems = problems_of(files)

    assert problems == [
        "districts.csv:5: column name: a value is required",
        "meetings.csv:10: column requested_on: '2017-02-30' is not a date like 2017-03-31 "
        "(YYYY-MM-DD)",
        "meetings.csv:10: column requested_by: 'mom' is not one of: parent, district, joint",
        "meetings.csv:10: column meeting_date: required when the status is held",
        "dispute_stats.csv:5: column child_complaints: 'x' is not a whole number of 0 or more",
    ]


def test_history_import_broken_header_does_not_cascade():
    files = example_files()
    files["districts.csv"] = csv_bytes("code,name,regoin", "048-066,Riverbend,NE")

    problems = problems_of(files)

    assert problems == [
        "districts.csv:1: column regoin: unknown column (the columns of this file are: "
        "code, name, region)",
        "districts.csv:1: column region: required column is missing",
    ]


def test_history_import_quoted_multiline_cell_keeps_line_numbers():
    files = {
        "districts.csv": csv_bytes(
            "code,name,region", '001-001,"Two\nLines",NE', "001-002,Fine,", "001-003,Ok,NE"
        )
    }

    assert problems_of(files) == ["districts.csv:4: column region: a value is required"]


def test_history_import_app_case_reference_not_overwritten():
    factories.FacilitationRequestFactory(reference="MO-2016-001")

    problems = problems_of(example_files())

    assert problems == [
        "meetings.csv:2: column reference: 'MO-2016-001' is a case entered in the "
        "application; it is not overwritten"
    ]


def test_history_import_held_meeting_with_evaluations_stays_held():
    history_import(files=example_files())

    problems = problems_of(
        {
            "meetings.csv": csv_bytes(
                MEETINGS_HEADER, "MO-2016-001,048-066,2016-09-06,parent,,cancelled,,"
            )
        }
    )

    assert problems == [
        "meetings.csv:2: column status: the meeting of MO-2016-001 has 2 evaluations; it must "
        "stay held"
    ]


def test_history_import_app_evaluation_not_overwritten():
    evaluation = factories.EvaluationFactory(
        response_id="R-1", meeting__request__reference="FIEP-2026-0200"
    )

    problems = problems_of(
        {
            "evaluations.csv": csv_bytes(
                "meeting_reference,response_id,respondent_role", "FIEP-2026-0200,R-1,parent"
            )
        }
    )

    assert problems == [
        "evaluations.csv:2: column response_id: 'R-1' is an evaluation entered in the "
        "application; it is not overwritten"
    ]
    assert evaluation.source == "online"
