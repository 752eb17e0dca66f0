import datetime

import pytest

from reports import metrics
from reports.metrics import Rate, Suppressed

D = datetime.date
pytestmark = pytest.mark.django_db


def year_2016():
    return metrics.compute(D(2016, 7, 1), D(2017, 6, 30))


def test_requests_received_by_requester_and_status(history):
    report = year_2016()
    assert report.requests["received"] == 18
    assert report.requests["by_requester"] == {"parent": 10, "district": 6, "joint": 2}
    assert report.requests["by_status"]["held"] == 16
    assert report.requests["by_status"]["cancelled"] == 1
    assert report.requests["by_status"]["denied"] == 1
    assert report.requests["by_status"]["submitted"] == 0


def test_meetings_held_and_outcomes(history):
    m = year_2016().meetings
    assert m["held"] == 15
    assert m["outcome_recorded"] == 13
    assert m["outcome_not_recorded"] == 2
    assert (m["consensus_all"], m["consensus_some"], m["consensus_none"]) == (10, 2, 1)
    assert m["districts"] == 2


def test_consensus_rate_excludes_unrecorded_outcomes(history):
    m = year_2016().meetings
    assert m["consensus_rate"] == Rate(12, 13)
    assert m["consensus_rate"].percent == 92
    assert m["full_consensus_rate"] == Rate(10, 13)
    assert m["full_consensus_rate"].percent == 77


def test_median_days_to_meeting(history):
    assert year_2016().meetings["median_days_to_meeting"] == 15.0


def test_median_days_odd_count(history):
    report = metrics.compute(D(2016, 9, 2), D(2016, 9, 4))  # days 5, 10, 20
    assert report.meetings["median_days_to_meeting"] == 10.0


def test_evaluations_excludes_unanswered_items(history):
    e = year_2016().evaluations
    assert e["completed"] == 23
    assert e["satisfaction_answered"] == 21
    assert (e["very_satisfied"], e["satisfied"], e["dissatisfied"]) == (16, 4, 1)
    assert e["very_satisfied_rate"] == Rate(16, 21)
    assert e["satisfied_or_better_rate"] == Rate(20, 21)
    assert e["recommend_answered"] == 20
    assert e["recommend_rate"] == Rate(19, 20)


def test_response_rate_only_for_meetings_with_invitations(history):
    e = year_2016().evaluations
    assert e["response_rate"] == Rate(3, 4)
    assert e["response_rate"].value == 0.75


def test_meeting_on_june_30_and_july_1_belong_to_their_school_years(history):
    june = metrics.compute(D(2017, 6, 30), D(2017, 6, 30))
    july = metrics.compute(D(2017, 7, 1), D(2017, 7, 1))
    assert june.meetings["held"] == 1
    assert june.meetings["consensus_all"] == 1
    assert july.meetings["held"] == 1
    assert july.meetings["consensus_none"] == 1
    assert metrics.compute(D(2017, 7, 1), D(2018, 6, 30)).evaluations["completed"] == 1


def test_by_school_year_lists_overlapping_years(history):
    report = metrics.compute(D(2016, 7, 1), D(2018, 6, 30))
    rows = report.by_school_year
    assert [r["school_year"] for r in rows] == ["2016-2017", "2017-2018"]
    assert (rows[0]["meetings_held"], rows[0]["districts"]) == (15, 2)
    assert rows[0]["consensus_rate"] == Rate(12, 13)
    assert (rows[1]["meetings_held"], rows[1]["districts"]) == (1, 1)
    assert rows[1]["consensus_rate"] == Rate(0, 1)
    assert rows[0]["child_complaints"] == 100
    assert rows[1]["child_complaints"] is None
    assert rows[1]["allegations"] is None


def test_dispute_statistics_year_over_year_change(history):
    report = metrics.compute(D(2015, 7, 1), D(2017, 6, 30))
    rows = report.by_school_year
    assert rows[0]["child_complaints_change"] is None
    assert rows[1]["child_complaints_change"]["difference"] == -20
    assert rows[1]["allegations_change"]["rate"] == Rate(-50, 300)


def test_non_july_school_year(history, settings):
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 9
    report = metrics.compute(D(2016, 7, 1), D(2017, 8, 31))
    rows = {r["school_year"]: r for r in report.by_school_year}
    assert list(rows) == ["2015-2016", "2016-2017"]
    # 2016-09-01 starts 2016-2017, so the July 1, 2017 meeting is in it too.
    assert rows["2016-2017"]["meetings_held"] == 16
    assert rows["2015-2016"]["meetings_held"] == 0


def test_zero_denominators_are_none(db):
    report = year_2016()
    assert report.meetings["held"] == 0
    assert report.meetings["consensus_rate"].value is None
    assert report.meetings["consensus_rate"].percent is None
    assert report.evaluations["response_rate"].value is None
    assert report.meetings["median_days_to_meeting"] is None


def test_breakdown_suppresses_small_cells_and_their_rates(history):
    rows = {r["key"]: r for r in year_2016().breakdowns["district"].rows}
    a, b = rows["100-001"], rows["200-001"]
    assert a["meetings_held"] == 12
    assert a["outcome_recorded"] == 11
    assert a["consensus"] == 10
    assert a["consensus_rate"] == Rate(10, 11)
    assert b["meetings_held"] == Suppressed(10)
    assert str(b["meetings_held"]) == "<10"
    assert b["consensus_rate"].suppressed
    assert b["consensus_rate"].value is None


def test_rate_suppressed_when_only_its_numerator_is_small(history):
    rows = {r["key"]: r for r in year_2016().breakdowns["role"].rows}
    educators = rows["special_educator"]
    assert educators["satisfaction_answered"] == 10
    assert educators["very_satisfied"] == Suppressed(10)
    assert educators["very_satisfied_rate"].suppressed
    assert educators["very_satisfied_rate"].percent is None


def test_suppression_threshold_is_a_setting(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    rows = {r["key"]: r for r in year_2016().breakdowns["region"].rows}
    south = rows[history.south.pk]
    assert south["meetings_held"] == 3
    assert south["consensus"] == Suppressed(3)
    assert str(south["consensus"]) == "<3"


def test_statewide_totals_are_never_suppressed(history):
    report = metrics.compute(D(2017, 7, 1), D(2018, 6, 30))
    assert report.meetings["held"] == 1
    assert report.by_school_year[0]["meetings_held"] == 1


def test_facilitator_and_requester_breakdowns(history):
    report = year_2016()
    facilitators = {r["key"]: r for r in report.breakdowns["facilitator"].rows}
    assert facilitators[history.f1.pk]["label"] == "Fay One"
    assert facilitators[history.f1.pk]["meetings_held"] == 12
    requester = {r["key"]: r for r in report.breakdowns["requester"].rows}
    assert list(requester) == ["parent", "district", "joint"]
    assert requester["parent"]["requests_received"] == 10
    assert requester["district"]["meetings_held"] == Suppressed(10)  # 2 + 3


def test_imported_records_count_like_others(history):
    # every request of district A is imported; they are all in the figures above
    assert year_2016().breakdowns["district"].rows[0]["meetings_held"] == 12


def test_query_count_is_19_for_1_or_10_001_meetings(db, query_guard):
    from tests.reports.bulk import bulk_history

    report = query_guard(
        19,
        lambda: metrics.compute(D(2016, 7, 1), D(2018, 6, 30)),
        add=bulk_history,
        many=10_001,
    )
    assert report.meetings["held"] == 10_001


def test_whole_percents_round_half_up():
    assert Rate(83, 86).percent == 97
    assert Rate(1, 200).percent == 1  # 0.5% → 1%
    assert Rate(1, 8).percent == 13  # 12.5% → 13%
    assert Rate(0, 0).percent is None


def test_template_filters_show_dash_and_suppression():
    from reports.templatetags.reports_tags import cell, percent

    assert percent(Rate(83, 86)) == "97%"
    assert percent(Rate(0, 0)) == "—"
    assert cell(Suppressed(10)) == "<10"
    assert cell(Rate(None, None, suppressed=True)) == "—"
    assert cell(12) == "12"


def test_meetings_without_facilitator_are_not_recorded_in_breakdown(history):
    from meetings.models import Meeting

    Meeting.objects.filter(facilitator=history.f2).update(facilitator=None)
    rows = {r["key"]: r for r in year_2016().breakdowns["facilitator"].rows}
    assert str(rows[None]["label"]) == "Not recorded"


def test_requests_belong_to_the_year_they_were_received(db):
    from tests import factories

    factories.FacilitationRequestFactory(received_on=D(2017, 6, 30))
    factories.FacilitationRequestFactory(received_on=D(2017, 7, 1))
    factories.FacilitationRequestFactory(received_on=D(2017, 7, 1), requested_by="adult_student")
    rows = metrics.compute(D(2016, 7, 1), D(2018, 6, 30)).by_school_year
    assert [r["requests_received"] for r in rows] == [1, 2]
    assert metrics.compute(D(2017, 7, 1), D(2018, 6, 30)).requests["by_requester"] == {
        "parent": 2,
        "district": 0,
        "joint": 0,
    }


def test_trend_adds_earlier_school_years_on_record_with_the_change(history):
    report = year_2016()
    assert [r["school_year"] for r in report.by_school_year] == ["2016-2017"]
    # 2015-2016 is on record through its dispute statistics only
    assert [r["school_year"] for r in report.trend] == ["2015-2016", "2016-2017"]
    earlier, current = report.trend
    assert earlier["meetings_held"] == 0
    assert earlier["meetings_held_change"] is None
    assert current["meetings_held_change"]["difference"] == 15
    assert current["child_complaints_change"]["difference"] == -20
    assert current["districts_change"]["difference"] == 2


def test_earlier_years_count_whole_years_outside_the_period(history):
    # the period starts on the day after the June 30 meeting: 2016-2017 is earlier for the
    # part before the period, but a year of the period is never listed as earlier
    report = metrics.compute(D(2017, 7, 1), D(2018, 6, 30))
    assert [r["school_year"] for r in report.trend] == ["2015-2016", "2016-2017", "2017-2018"]
    assert report.trend[1]["meetings_held"] == 15
    assert report.trend[2]["meetings_held"] == 1
    assert report.trend[2]["meetings_held_change"]["difference"] == -14


def test_trend_shows_at_most_ten_school_years(db):
    from tests import factories

    for year in range(2000, 2017):
        factories.DisputeStatisticsFactory(start_year=year, child_complaints=year - 1900)
    trend = metrics.compute(D(2015, 7, 1), D(2017, 6, 30)).trend
    assert len(trend) == 10
    assert (trend[0]["school_year"], trend[-1]["school_year"]) == ("2007-2008", "2016-2017")
    assert trend[0]["child_complaints_change"] is None
    assert trend[1]["child_complaints_change"]["difference"] == 1


def test_trend_leaves_out_empty_years_before_the_first_on_record(db):
    from tests import factories

    factories.DisputeStatisticsFactory(start_year=2012)
    trend = metrics.compute(D(2016, 7, 1), D(2017, 6, 30)).trend
    assert [r["school_year"] for r in trend] == [
        "2012-2013",
        "2013-2014",
        "2014-2015",
        "2015-2016",
        "2016-2017",
    ]
