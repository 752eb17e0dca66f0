"""fiep.cells: each helper prints what the template construct it replaces printed."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation

from facilitators.models import ContractStatus, Facilitator
from fiep import cells
from meetings.models import ClaimStatus, PaymentClaim

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _render(source, **context):
    return Template("{% load i18n %}" + source).render(Context(context))


@pytest.mark.parametrize("viewname", ["facilitators:detail", "meetings:claim"])
@pytest.mark.parametrize("pk", [0, 1, 9, 10, 42, 7_919_031_117, 10**12])
def test_links_are_reverse(viewname, pk):
    assert cells.links(viewname)(pk) == reverse(viewname, args=[pk])
    assert cells.links(viewname)(pk) == _render(f"{{% url '{viewname}' pk %}}", pk=pk)


def test_links_keep_the_script_prefix():
    set_script_prefix("/office/")
    try:
        link = cells.links("facilitators:detail")
        assert link(12) == reverse("facilitators:detail", args=[12]) == "/office/facilitators/12/"
    finally:
        set_script_prefix("/")


def test_links_of_anything_but_a_key_reverse_as_before():
    link = cells.links("facilitators:detail")
    assert link("12") == reverse("facilitators:detail", args=["12"])
    for refused in (True, -1, "x"):  # what reverse() refuses, the link refuses
        with pytest.raises(NoReverseMatch):
            reverse("facilitators:detail", args=[refused])
        with pytest.raises(NoReverseMatch):
            link(refused)


@pytest.mark.parametrize("language", ["en", "es"])
def test_labels_are_get_display(db, language):
    with translation.override(language):
        statuses = cells.labels(Facilitator, "contract_status")
        for value in ContractStatus.values:
            shown = Facilitator(contract_status=value).get_contract_status_display()
            assert statuses.get(value, value) == shown
            assert isinstance(statuses[value], str)
        claims = cells.labels(PaymentClaim, "status")
        for value in ClaimStatus.values:
            assert claims.get(value, value) == PaymentClaim(status=value).get_status_display()
        # a value outside the choices prints itself, as get_FOO_display does
        gone = Facilitator(contract_status="gone").get_contract_status_display()
        assert statuses.get("gone", "gone") == gone


def test_labels_are_translated_in_the_active_language(db):
    with translation.override("en"):
        english = cells.labels(PaymentClaim, "status")
    with translation.override("es"):
        spanish = cells.labels(PaymentClaim, "status")
    assert english["approved"] == "Approved"
    assert spanish["approved"] != english["approved"]


DAYS = [
    datetime.date(2026, 12, 1),
    datetime.date(2027, 1, 9),
    datetime.date(999, 3, 4),  # the template pads the year to four digits
    datetime.datetime(2026, 12, 1, 5, 59, tzinfo=datetime.UTC),  # 23:59 the day before in Chicago
    datetime.datetime(2026, 12, 1, 6, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 1, 4, 30, tzinfo=datetime.UTC),  # summer time
    datetime.datetime(2026, 3, 1, 23, 0),  # naive: printed as it is
]


@pytest.mark.parametrize("value", DAYS)
def test_day_and_month_are_the_date_filter(value):
    tz = timezone.get_current_timezone()
    assert cells.day(value, tz) == _render('{{ v|date:"Y-m-d" }}', v=value)
    assert cells.day(value) == _render('{{ v|date:"Y-m-d" }}', v=value)
    assert cells.month(value, tz) == _render('{{ v|date:"Y-m" }}', v=value)


def test_day_follows_the_current_time_zone():
    value = datetime.datetime(2026, 12, 1, 5, 59, tzinfo=datetime.UTC)
    assert cells.day(value, CHICAGO) == "2026-11-30"
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert cells.day(value) == "2026-12-01" == _render('{{ v|date:"Y-m-d" }}', v=value)


def test_none_stays_none():
    assert cells.day(None) is None
    assert cells.month(None) is None


def test_names_print_what_the_loop_printed():
    rows = [(1, "Central & East"), (2, "<North>"), (1, "Río Grande"), (3, "Solo")]
    joined = cells.names(rows)
    assert set(joined) == {1, 2, 3}
    loop = "{% for r in rs %}{{ r }}{% if not forloop.last %}, {% endif %}{% endfor %}"
    for owner in (1, 2, 3):
        expected = _render(loop, rs=[name for o, name in rows if o == owner])
        assert _render("{{ v }}", v=joined[owner]) == expected
    assert joined[1] == "Central & East, Río Grande"
    assert cells.names([]) == {}


NUMBERS = [
    0,
    7,
    1234567,
    -12,
    Decimal("0.00"),
    Decimal("12.50"),
    Decimal("-3.5"),
    Decimal("1234567.891"),
    Decimal("1E+3"),
    Decimal("0.000001"),
    2.5,
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("grouping", [False, True])
def test_numbers_are_what_the_template_prints(language, grouping, settings):
    settings.USE_THOUSAND_SEPARATOR = grouping
    with translation.override(language):
        number = cells.numbers()
        for value in NUMBERS:
            assert _render("{{ v }}", v=number(value)) == _render("{{ v }}", v=value), value


def test_numbers_leave_anything_else_to_the_template():
    number = cells.numbers()
    for value in (None, True, "12", datetime.date(2026, 1, 2)):
        assert number(value) is value
