import datetime

import pytest
from django.db import connection

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


def test_breakdown_suppresses_small_cells_and_their_rates(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    rows = {r["key"]: r for r in year_2016().breakdowns["district"].rows}
    a, b = rows["100-001"], rows["200-001"]
    assert (a["meetings_held"], a["outcome_recorded"], a["consensus"]) == (12, 11, 10)
    assert a["consensus_rate"] == Rate(10, 11)
    assert (b["meetings_held"], b["consensus_rate"]) == (3, Rate(2, 2))
    assert b["very_satisfied"] == Suppressed(2)  # 1
    assert str(b["very_satisfied"]) == "<2"
    assert b["very_satisfied_rate"].suppressed
    assert b["very_satisfied_rate"].value is None


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


def test_facilitator_and_requester_breakdowns(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    report = year_2016()
    facilitators = {r["key"]: r for r in report.breakdowns["facilitator"].rows}
    assert facilitators[history.f1.pk]["label"] == "Fay One"
    assert facilitators[history.f1.pk]["meetings_held"] == 12
    requester = {r["key"]: r for r in report.breakdowns["requester"].rows}
    assert list(requester) == ["parent", "district", "joint"]
    assert requester["parent"]["requests_received"] == 10
    assert requester["district"]["meetings_held"] == 5  # 2 + 3


def test_imported_records_count_like_others(history, settings):
    # every request of district A is imported; they are all in the figures above
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    assert year_2016().breakdowns["district"].rows[0]["meetings_held"] == 12


def test_query_count_counted_live_is_fixed_for_1_or_10_001_meetings(db, query_guard):
    """Counted live (nothing stored): 4 queries (PostgreSQL, grouping sets) or 6 (SQLite)
    for each of the 10 school-year segments (2 in the period, 8 earlier ones of the trend),
    the dispute statistics, the districts' and facilitators' names — whatever the amount
    of data."""
    from tests.reports.bulk import bulk_history

    per_segment = 4 if connection.vendor == "postgresql" else 6
    report = query_guard(
        10 * per_segment + 3,
        lambda: metrics.compute(D(2016, 7, 1), D(2018, 6, 30), use_stored=False),
        add=bulk_history,
        many=10_001,
    )
    assert report.meetings["held"] == 10_001


def test_query_count_from_stored_closed_years_is_4(db, query_guard):
    """Closed school years come from the stored counts: one query reads them, then the
    dispute statistics and the names — whatever the amount of data. ``add`` writes in
    bulk (no signals), invalidates like the history import, and reports once, which
    stores the counts again."""
    from tests.reports.bulk import bulk_history

    def add(n):
        bulk_history(n)
        metrics.compute(D(2016, 7, 1), D(2018, 6, 30))

    report = query_guard(
        4, lambda: metrics.compute(D(2016, 7, 1), D(2018, 6, 30)), add=add, many=10_001
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


def test_meetings_without_facilitator_are_not_recorded_in_breakdown(history, settings):
    from meetings.models import Meeting

    settings.FIEP_SUPPRESSION_THRESHOLD = 2
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


def test_complementary_suppression_hides_the_next_smallest_cell(history, settings):
    # district B's single very-satisfied answer is the only suppressed cell of its
    # column: the statewide total (16) minus A's 15 would give it away, so A's is hidden
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    rows = {r["key"]: r for r in year_2016().breakdowns["district"].rows}
    assert rows["200-001"]["very_satisfied"] == Suppressed(2)
    assert rows["100-001"]["very_satisfied"] == Suppressed(2)
    assert rows["100-001"]["very_satisfied_rate"].suppressed
    assert rows["100-001"]["satisfaction_answered"] == 19  # its own column: nothing small


def test_rows_whose_every_cell_is_suppressed_are_left_out(history):
    # at the default threshold district B is all "<10"; then A alone would reveal B
    # (total minus A), so A is suppressed cell by cell and no row is left to print
    assert year_2016().breakdowns["district"].rows == []


def small_districts_and_bulk(count, meetings_each):
    from tests import factories
    from tests.reports.bulk import bulk_history

    bulk_history(60)  # 5 districts of 12 held meetings, one evaluation each
    region = factories.RegionFactory(name="Small region")
    for i in range(count):
        district = factories.DistrictFactory(code=f"700-{i:03d}", name=f"Small {i}", region=region)
        for _ in range(meetings_each):
            factories.MeetingFactory(
                request=factories.FacilitationRequestFactory(district=district),
                status="held",
                held_on=D(2016, 9, 1),
                consensus="all",
            )


def test_districts_below_the_threshold_are_grouped_into_one_row(db):
    small_districts_and_bulk(3, 4)
    rows = metrics.compute(D(2016, 7, 1), D(2018, 6, 30)).breakdowns["district"].rows
    assert [r["key"] for r in rows][-1] == "other"
    assert str(rows[-1]["label"]) == "3 other districts"
    assert rows[-1]["meetings_held"] == 12  # 3 × 4: shown, no district named
    assert not any(str(r["label"]).startswith("Small") for r in rows)
    assert len(rows) == 6


def test_one_small_district_is_left_out_and_another_cell_hidden(db):
    small_districts_and_bulk(1, 4)
    rows = metrics.compute(D(2016, 7, 1), D(2018, 6, 30)).breakdowns["district"].rows
    keys = [r["key"] for r in rows]
    # every cell of the small district is "<10": no row, and no "1 other district" either
    assert "other" not in keys and "700-000" not in keys
    # its 4 meetings are the total minus the shown rows unless one more is hidden
    assert sum(isinstance(r["meetings_held"], Suppressed) for r in rows) == 1
    assert len(rows) == 5


def test_no_column_has_exactly_one_suppressed_cell(db):
    """The complementary-suppression guarantee, over every breakdown: with the statewide
    totals published, a column with a single hidden cell would reveal it."""
    small_districts_and_bulk(3, 4)
    report = metrics.compute(D(2016, 7, 1), D(2018, 6, 30))
    totals = {
        "meetings_held": report.meetings["held"],
        "evaluations_completed": report.evaluations["completed"],
    }
    checked = 0
    for breakdown in report.breakdowns.values():
        for column in breakdown.columns:
            cells = [r[column] for r in breakdown.rows]
            hidden = [c for c in cells if isinstance(c, Suppressed)]
            assert len(hidden) != 1, (breakdown.name, column)
            if column in totals and not hidden:
                assert sum(cells) == totals[column]
            checked += 1
    assert checked > 30
    rows = {r["key"]: r for r in report.breakdowns["district"].rows}
    # the "other" row has no evaluations (0, hidden): the smallest district's are hidden too
    assert rows["other"]["evaluations_completed"] == Suppressed(10)
    assert sum(isinstance(r["evaluations_completed"], Suppressed) for r in rows.values()) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="grouping sets: PostgreSQL")
@pytest.mark.parametrize(
    "period",
    [
        (D(2016, 7, 1), D(2017, 6, 30)),
        (D(2016, 9, 2), D(2016, 9, 4)),
        (D(2000, 1, 1), D(2030, 12, 31)),
        (D(2000, 1, 1), D(2000, 1, 2)),  # nothing in it
    ],
)
def test_grouping_sets_and_the_rollup_give_identical_parts(history, period):
    """On PostgreSQL a segment is counted with GROUP BY GROUPING SETS (4 queries); the
    SQLite path groups by every key together and rolls up in Python (6 queries). Both
    give the same parts, key for key and count for count."""
    from reports.metrics.parts import segment_parts, unpacked
    from tests import factories

    # Cases the grouping must keep apart: no facilitator, no agreement date, an adult
    # student (counted with parents), an evaluation of a meeting without invitations.
    meeting = factories.MeetingFactory(
        held=True, held_on=D(2016, 9, 3), facilitator=None, request__agreed_on=None
    )
    factories.EvaluationFactory(meeting=meeting)
    adult = factories.MeetingFactory(held=True, held_on=D(2016, 9, 3))
    adult.request.requested_by = "adult_student"
    adult.request.save()
    sets, rolled = (segment_parts(*period, grouping_sets=g) for g in (True, False))
    assert sets["totals"] == rolled["totals"]
    for part in ("district", "facilitator", "requester", "role"):
        assert unpacked(sets[part]) == unpacked(rolled[part]), part
    assert sets == rolled
