"""Every report figure is identical before and after a purge of identifying data."""

import datetime

import pytest
from django.utils import timezone

from fiep_requests.models import FacilitationRequest
from fiep_requests.retention import student_data_purge
from meetings.models import Participant
from reports import metrics
from reports.exports import export_csv, export_json, report_document
from tests.factories import ParticipantFactory
from tests.reports.conftest import history  # noqa: F401  (the reports' crafted history)

from .retention_helpers import MARK, final_since, full_case, tables_with_mark

pytestmark = pytest.mark.django_db

PERIODS = [
    (datetime.date(2015, 7, 1), datetime.date(2018, 6, 30)),
    (datetime.date(2016, 7, 1), datetime.date(2017, 6, 30)),
    (datetime.date(2017, 7, 1), datetime.date(2020, 6, 30)),
]


def _documents():
    documents = []
    for start, end in PERIODS:
        report = metrics.compute(start, end)
        documents.append((report_document(report), export_json(report)[2], export_csv(report)[2]))
    return documents


def _expire_history():
    """Close every case of the reports' history (final status 6+ years ago) and give
    each identifying data, as a live program would have."""
    long_ago = timezone.now() - datetime.timedelta(days=365 * 7)
    FacilitationRequest.objects.filter(status="held").update(status="closed")
    for case in FacilitationRequest.objects.all():
        FacilitationRequest.objects.filter(pk=case.pk).update(
            student_first_name=f"{MARK}first",
            student_last_name=f"{MARK}last",
            parent_name=f"{MARK} parent",
            parent_email=f"{MARK}@example.org",
            narrative=f"{MARK} narrative",
            student_birth_date=datetime.date(2010, 1, 1),
        )
        final_since(case, long_ago)
        meeting = getattr(case, "meeting", None)
        if meeting is not None:
            meeting.location = f"{MARK} room"
            meeting.private_notes = f"{MARK} notes"
            meeting.save()
            ParticipantFactory(meeting=meeting, name=f"{MARK} person")


def test_every_report_figure_identical_after_a_purge(history):  # noqa: F811
    _expire_history()
    full_case(years_ago=6)  # a live-program case with data in every table
    full_case(years_ago=1)  # closed but not yet expired
    before = _documents()
    assert before[0][0]["meetings"]["held"] > 10  # a real history, not empty figures
    assert before[2][0]["evaluations"]["completed"] > 0
    result = student_data_purge()
    assert result.total == FacilitationRequest.objects.count() - 1 - _open_count()
    assert _documents() == before
    assert sorted(tables_with_mark()) == _still_kept_tables()


def _open_count():
    from fiep_requests.models import FINAL_STATUSES

    return FacilitationRequest.objects.exclude(status__in=FINAL_STATUSES).count()


def _still_kept_tables():
    """Only the not-yet-expired case keeps its identifying data."""
    return sorted(
        {
            "evaluations.Evaluation",
            "evaluations.EvaluationInvitation",
            "evaluations.FacilitatorSelfEvaluation",
            "evaluations.FollowUp",
            "facilitators.Assignment",
            "facilitators.Objection",
            "fiep.OutboxMessage",
            "fiep_requests.CaseNote",
            "fiep_requests.FacilitationRequest",
            "fiep_requests.HistoricalFacilitationRequest",
            "fiep_requests.StatusChange",
            "meetings.Meeting",
            "meetings.MeetingChange",
            "meetings.OutcomeIssue",
            "meetings.Participant",
            "meetings.TimeEntry",
        }
    )


def test_report_figures_identical_after_purging_a_held_meeting_case(history):  # noqa: F811
    """The held meetings of the history keep status, date and consensus (the figures)."""
    _expire_history()
    before = _documents()
    held_before = Participant.objects.count()
    student_data_purge()
    assert _documents() == before
    assert Participant.objects.count() == held_before
    assert tables_with_mark() == {}
