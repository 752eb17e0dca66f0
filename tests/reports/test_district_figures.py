"""A district liaison's figures: their district's row of the published district
breakdown for the current school year, with the same suppression (``district_row``)."""

import datetime

import pytest
from django.urls import reverse

from fiep.schoolyear import current_school_year
from reports.metrics import Rate, Suppressed, compute, district_row
from tests import factories

pytestmark = pytest.mark.django_db


def _held(district, n, *, on=None, consensus="all"):
    on = on or current_school_year().start + datetime.timedelta(days=30)
    for _ in range(n):
        factories.MeetingFactory(
            held=True,
            held_on=on,
            consensus=consensus,
            request=factories.FacilitationRequestFactory(district=district, status="held"),
        )


def _published_row(code):
    year = current_school_year()
    rows = compute(year.start, year.end).breakdowns["district"].rows
    return next((row for row in rows if row["key"] == code), None)


def test_a_district_with_enough_meetings_sees_its_counts_and_rate():
    own = factories.DistrictFactory(code="010-001")
    big = factories.DistrictFactory(code="020-002")
    _held(own, 12)
    _held(big, 15)
    year = current_school_year()
    row = district_row(year.start, year.end, "010-001", 10)
    assert row["meetings_held"] == 12
    assert row["consensus_rate"] == Rate(12, 12)
    # The same row the dashboard, the PDF and the exports publish.
    assert row == _published_row("010-001")


def test_a_small_district_sees_suppressed_counts_and_rates():
    own = factories.DistrictFactory(code="010-001")
    _held(own, 3)
    year = current_school_year()
    row = district_row(year.start, year.end, "010-001", 10)
    assert row["meetings_held"] == Suppressed(10)
    assert row["consensus_rate"] == Rate(None, None, suppressed=True)


def test_complementary_suppression_applies_as_on_the_dashboard():
    """Own district 12 held, another district 4: the other's "<10" is the only hidden cell
    of the column, so the dashboard hides the smallest shown cell too (ours). The liaison
    must see it hidden as well, or the two pages together would give the other away."""
    own = factories.DistrictFactory(code="010-001")
    small = factories.DistrictFactory(code="030-003")
    _held(own, 12)
    _held(small, 4)
    year = current_school_year()
    row = district_row(year.start, year.end, "010-001", 10)
    assert row["meetings_held"] == Suppressed(10)
    published = _published_row("010-001")
    assert published is None or published["meetings_held"] == Suppressed(10)


def test_a_district_with_nothing_shows_suppressed_not_zero():
    factories.DistrictFactory(code="010-001")
    year = current_school_year()
    row = district_row(year.start, year.end, "010-001", 10)
    assert row["meetings_held"] == Suppressed(10)


def test_last_school_years_meetings_do_not_count():
    own = factories.DistrictFactory(code="010-001")
    _held(own, 12, on=current_school_year().start - datetime.timedelta(days=1))
    year = current_school_year()
    assert district_row(year.start, year.end, "010-001", 10)["meetings_held"] == Suppressed(10)


def test_liaison_home_shows_own_figures_only(client):
    own = factories.DistrictFactory(code="010-001", name="Prairie Hills R-I")
    other = factories.DistrictFactory(code="020-002", name="Other Valley R-II")
    _held(own, 11)
    _held(other, 13)
    client.force_login(factories.liaison_user(own))
    html = client.get(reverse("staff-home")).content.decode()
    year = current_school_year().label
    assert f"Prairie Hills R-I: figures for {year}" in html
    figures = html.split('id="district-figures"')[1].split("</dl>")[0]
    assert ">11<" in figures and ">100%<" in figures
    assert ">13<" not in figures
    assert "Other Valley" not in html


def test_liaison_home_small_district_shows_less_than_threshold(client, settings):
    own = factories.DistrictFactory(code="010-001")
    _held(own, 2)
    client.force_login(factories.liaison_user(own))
    figures = client.get(reverse("staff-home")).content.decode().split('id="district-figures"')[1]
    figures = figures.split("</dl>")[0]
    assert "&lt;10" in figures
    assert ">2<" not in figures
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    figures = client.get(reverse("staff-home")).content.decode().split('id="district-figures"')[1]
    assert ">2<" in figures.split("</dl>")[0]
