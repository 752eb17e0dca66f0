"""Stored counts of closed school years (reports.metrics.cache): the figures read from
them are identical to the figures counted live, and every change that touches a closed
year's counts deletes them (reports.invalidation, the history import, the purge)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from fiep.schoolyear import SchoolYear
from reports import metrics
from reports.exports import report_document
from reports.history.importer import history_import
from reports.metrics import cache
from reports.metrics.parts import PARTS, segment_parts
from reports.models import MetricsCache
from tests import factories
from tests.reports.history_helpers import example_files

D = datetime.date
Y2016 = (D(2016, 7, 1), D(2017, 6, 30))


def snapshot(report):
    """Every figure of a report, breakdowns and the PDF's summaries included, as text."""
    document = report_document(report)
    summaries = {
        name: [{k: str(v) for k, v in row.items()} for row in b.summary_rows]
        for name, b in report.breakdowns.items()
        if b.summary_rows is not None
    }
    labels = {name: [str(r["label"]) for r in b.rows] for name, b in report.breakdowns.items()}
    return repr((document, summaries, labels, report.earlier_years, report.by_school_year))


def stored_years():
    return set(MetricsCache.objects.exclude(part=cache.STAMP).values_list("start_year", flat=True))


PERIODS = [
    Y2016,  # one closed school year
    (D(2015, 7, 1), D(2018, 6, 30)),  # several closed years
    (D(2016, 9, 1), D(2017, 7, 31)),  # parts of two years: counted live
    (D(2010, 7, 1), None),  # up to today: closed years stored, the current one live
]


@pytest.mark.parametrize("threshold", [1, 2, 10])
@pytest.mark.parametrize("period", PERIODS)
def test_stored_figures_are_identical_to_live_ones(history, settings, period, threshold):
    settings.FIEP_SUPPRESSION_THRESHOLD = threshold
    start, end = period
    end = end or timezone.localdate()
    live = snapshot(metrics.compute(start, end, use_stored=False))
    assert not stored_years()
    first = snapshot(metrics.compute(start, end))  # counts and stores closed whole years
    second = snapshot(metrics.compute(start, end))  # reads them
    assert live == first == second


def test_only_whole_closed_years_are_stored(history):
    metrics.compute(D(2016, 9, 1), D(2017, 7, 31))
    # the trend's earlier years are whole and closed; 2016 and 2017 are parts of years
    assert stored_years() == set(range(2008, 2016))
    metrics.compute(D(2016, 7, 1), timezone.localdate())
    assert 2016 in stored_years()
    assert SchoolYear(2016).start_year in stored_years()
    current = metrics.compute(D(2016, 7, 1), timezone.localdate()).school_years[-1]
    assert current.start_year not in stored_years()


def test_reading_stored_years_makes_no_per_year_query(history, django_assert_num_queries):
    metrics.compute(D(2012, 7, 1), D(2018, 6, 30))
    # stored counts, dispute statistics, district and facilitator names
    with django_assert_num_queries(4):
        metrics.compute(D(2012, 7, 1), D(2018, 6, 30))


def test_stored_counts_of_another_version_are_not_read(history, monkeypatch):
    metrics.compute(*Y2016)
    MetricsCache.objects.filter(part="totals", start_year=2016).update(
        data={**segment_parts(D(2000, 1, 1), D(2000, 1, 2))["totals"]}
    )
    assert metrics.compute(*Y2016).meetings["held"] == 0  # the doctored row is read…
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + 1)
    assert metrics.compute(*Y2016).meetings["held"] == 15  # …but not by a new version


def test_meeting_outcome_changed_in_a_closed_year_invalidates_it(history):
    report = metrics.compute(*Y2016)
    assert report.meetings["consensus_all"] == 10
    assert 2016 in stored_years()
    meeting = history.a.requests.filter(meeting__consensus="all").first().meeting
    meeting.consensus = "none"
    meeting.save()
    assert 2016 not in stored_years()
    assert 2015 in stored_years()  # other years stay stored
    assert metrics.compute(*Y2016).meetings["consensus_all"] == 9


def test_a_failure_stamping_after_the_commit_does_not_fail_the_saved_change(
    history, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """The after-commit step runs once the change is saved: the database failing just then
    is logged, not raised into the page that saved an outcome or a survey."""
    metrics.compute(*Y2016)

    def database_gone(years, month):
        raise RuntimeError("server closed the connection")

    monkeypatch.setattr(cache, "_stamp_and_delete", database_gone)
    meeting = history.a.requests.filter(meeting__consensus="all").first().meeting
    meeting.consensus = "none"
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save()  # no exception
    assert "server closed the connection" in caplog.text
    assert 2016 not in stored_years()  # deleted inside the change's own transaction


def test_meeting_moved_to_another_year_invalidates_both(history):
    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    from meetings.models import Meeting

    meeting = Meeting.objects.get(held_on=D(2016, 10, 1))
    meeting.held_on = D(2015, 10, 1)
    meeting.save()
    assert not {2015, 2016} & stored_years()
    report = metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    assert [r["meetings_held"] for r in report.by_school_year] == [1, 14]


def test_evaluation_added_in_a_closed_year_invalidates_it(history):
    assert metrics.compute(*Y2016).evaluations["completed"] == 23
    from meetings.models import Meeting

    meeting = Meeting.objects.get(held_on=D(2016, 10, 2))
    factories.EvaluationFactory(meeting=Meeting.objects.get(pk=meeting.pk))  # not loaded
    assert 2016 not in stored_years()
    assert metrics.compute(*Y2016).evaluations["completed"] == 24


def test_evaluation_deleted_and_invitation_added_invalidate(history):
    metrics.compute(*Y2016)
    evaluation = history.a.requests.first().meeting.evaluations.first()
    evaluation.delete()
    assert 2016 not in stored_years()
    assert metrics.compute(*Y2016).evaluations["completed"] == 22
    assert 2016 in stored_years()
    factories.EvaluationInvitationFactory(meeting=evaluation.meeting)
    assert 2016 not in stored_years()
    assert metrics.compute(*Y2016).evaluations["invitations_sent"] == 5


def test_request_changed_in_a_closed_year_invalidates_its_meeting_year(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 1
    metrics.compute(D(2016, 7, 1), D(2018, 6, 30))
    # received in 2016-2017, its meeting held in 2017-2018: both years are invalidated
    request = history.july.request
    request.requested_by = "parent"
    request.save()
    assert not {2016, 2017} & stored_years()
    report = metrics.compute(D(2017, 7, 1), D(2018, 6, 30))
    requester = {r["key"]: r for r in report.breakdowns["requester"].rows}
    assert requester["parent"]["meetings_held"] == 1


def test_change_in_the_current_year_keeps_stored_years_and_costs_no_query(
    history, django_assert_num_queries
):
    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    before = stored_years()
    today = timezone.localdate()
    request = factories.FacilitationRequestFactory(received_on=today, district=history.a)
    with django_assert_num_queries(2):  # the UPDATE and its history row only
        request.requested_by = "district"
        request.save()
    assert stored_years() == before


def test_history_import_invalidates_every_year(history):
    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    assert stored_years()
    history_import(files=example_files())
    assert not stored_years()


def test_failed_history_import_keeps_the_stored_counts(history):
    from reports.history.importer import HistoryImportError

    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    before = stored_years()
    files = dict(example_files())
    files["districts.csv"] = b"code,name\n1,x\n"
    with pytest.raises(HistoryImportError):
        history_import(files=files)
    assert stored_years() == before


def test_purge_invalidates_the_case_years(history):
    from fiep_requests.retention import student_data_purge

    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    case = history.a.requests.get(status="cancelled")  # received 2016-11-01
    case.destruction_requested_at = timezone.now()
    case.save(update_fields=["destruction_requested_at"])
    metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    assert 2016 in stored_years()
    result = student_data_purge(cases=[case.pk])
    assert result.cases
    assert 2016 not in stored_years()
    assert 2015 in stored_years()


@pytest.mark.django_db(transaction=True)
def test_counts_read_before_a_commit_and_stored_after_it_are_deleted(history):
    """A report reads a closed year, then a change to that year commits (its on-commit
    stamp is written), then the report stores what it read: the stamp makes it delete
    the out-of-date counts. Without the change, they stay."""
    cache.clear()  # the fixture's own saves (committed) left stamps
    year = SchoolYear(2016)
    since = timezone.now()
    parts = segment_parts(year.start, year.end)  # the report reads…
    with transaction.atomic():
        meeting = history.a.requests.filter(meeting__consensus="all").first().meeting
        meeting.consensus = "none"
        meeting.save()
        assert not MetricsCache.objects.filter(part=cache.STAMP).exists()  # not yet
    assert MetricsCache.objects.filter(part=cache.STAMP, start_year=2016).exists()
    cache._store({year: parts}, since)  # …and stores after the commit
    assert 2016 not in stored_years()
    metrics.compute(year.start, year.end)  # a report started after the change
    assert 2016 in stored_years()
    assert metrics.compute(year.start, year.end).meetings["consensus_all"] == 9


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_keeps_nothing_half_invalidated(history):
    cache.clear()  # the fixture's own saves (committed) left stamps
    metrics.compute(*Y2016)
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting = history.a.requests.filter(meeting__consensus="all").first().meeting
        meeting.consensus = "none"
        meeting.save()
        assert 2016 not in stored_years()  # deleted inside the transaction
        raise RuntimeError
    assert 2016 in stored_years()  # the delete was rolled back with the change
    assert not MetricsCache.objects.filter(part=cache.STAMP).exists()
    assert metrics.compute(*Y2016).meetings["consensus_all"] == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_store_each_year_once(history):
    if connection.vendor != "postgresql":
        pytest.skip("threads share one SQLite connection poorly; run on PostgreSQL")
    errors = []

    def report():
        try:
            metrics.compute(D(2014, 7, 1), D(2017, 6, 30))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = MetricsCache.objects.exclude(part=cache.STAMP).filter(start_year=2016)
    assert rows.count() == len(PARTS)
