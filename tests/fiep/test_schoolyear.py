import datetime

import pytest

from fiep.schoolyear import (
    SchoolYear,
    school_year_from_label,
    school_year_of,
    school_years_between,
)


def test_school_year_of_june_30_and_july_1_split():
    assert school_year_of(datetime.date(2017, 6, 30), 7).label == "2016-2017"
    assert school_year_of(datetime.date(2017, 7, 1), 7).label == "2017-2018"


def test_school_year_bounds_are_inclusive():
    year = SchoolYear(2016, 7)
    assert year.start == datetime.date(2016, 7, 1)
    assert year.end == datetime.date(2017, 6, 30)


def test_school_year_non_july_start_month():
    # A state whose school year starts in September.
    assert school_year_of(datetime.date(2017, 8, 31), 9).label == "2016-2017"
    assert school_year_of(datetime.date(2017, 9, 1), 9).label == "2017-2018"
    assert SchoolYear(2017, 9).end == datetime.date(2018, 8, 31)


def test_school_year_january_start_is_the_calendar_year():
    assert school_year_of(datetime.date(2017, 12, 31), 1).label == "2017-2018"
    assert SchoolYear(2017, 1).end == datetime.date(2017, 12, 31)


def test_school_year_uses_setting_by_default(settings):
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 8
    assert school_year_of(datetime.date(2017, 7, 31)).label == "2016-2017"


def test_school_year_from_label_round_trips():
    assert school_year_from_label("2016-2017", 7) == SchoolYear(2016, 7)


@pytest.mark.parametrize("bad", ["2016-2018", "2016", "16-17", "2016/2017", ""])
def test_school_year_from_label_rejects_bad_labels(bad):
    with pytest.raises(ValueError, match="not a school year"):
        school_year_from_label(bad, 7)


def test_school_years_between_lists_every_overlapping_year():
    years = school_years_between(datetime.date(2016, 7, 1), datetime.date(2018, 6, 30), 7)
    assert [y.label for y in years] == ["2016-2017", "2017-2018"]
    years = school_years_between(datetime.date(2017, 6, 30), datetime.date(2017, 7, 1), 7)
    assert [y.label for y in years] == ["2016-2017", "2017-2018"]
    assert school_years_between(datetime.date(2018, 1, 1), datetime.date(2017, 1, 1), 7) == []
