"""Traceable figures: each headline links (staff only) to the list of the records it
counts, filtered the same way; the list's count equals the figure (issue 17)."""

import datetime
import json
import re
import statistics

import pytest
import rules
from django.urls import reverse

from fiep.models import AccessAction, AccessLog, Role
from reports import metrics
from reports.metrics.records import FIGURES, figure_records, record_references
from reports.presentation import headline_figures
from tests import factories
from tests.reports.bulk import bulk_history

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2016-07-01", "end": "2017-06-30"}


def _figure(report, name):
    """The figure a headline shows: a Rate (numerator, denominator) or a count."""
    m, e = report.meetings, report.evaluations
    return {
        "requests_received": report.requests["received"],
        "meetings_held": m["held"],
        "consensus_rate": m["consensus_rate"],
        "full_consensus_rate": m["full_consensus_rate"],
        "very_satisfied_rate": e["very_satisfied_rate"],
        "satisfied_or_better_rate": e["satisfied_or_better_rate"],
        "recommend_rate": e["recommend_rate"],
        "evaluations_completed": e["completed"],
        "districts": m["districts"],
        "median_days_to_meeting": m["median_days_to_meeting"],
    }[name]


def _page_counts(client, name, **extra):
    response = client.get(reverse("reports:records", args=[name]), {**PERIOD, **extra})
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'id="record-count" data-total="(\d+)"(?: data-counted="(\d+)")?', html)
    return response, int(match.group(1)), match.group(2) and int(match.group(2))


def test_every_headline_has_a_records_list():
    names = {h.name for h in headline_figures(metrics.compute(*map(_date, PERIOD.values())))}
    assert names == set(FIGURES)


def _date(value):
    return datetime.date.fromisoformat(value)


def test_each_headline_list_count_equals_the_figure(staff_client, history):
    report = metrics.compute(_date(PERIOD["start"]), _date(PERIOD["end"]))
    for name in FIGURES:
        response, total, counted = _page_counts(staff_client, name)
        figure = _figure(report, name)
        if isinstance(figure, metrics.Rate):
            assert (counted, total) == (figure.numerator, figure.denominator), name
        elif name == "median_days_to_meeting":
            days = [r.days.days for r in response.context["page"]]
            assert total == len(days) == 4
            assert statistics.median(days) == figure == 15
        else:
            assert counted is None and total == figure, name
    # The crafted history's known answers, so the comparison is not vacuous.
    assert _figure(report, "meetings_held") == 15
    assert _figure(report, "consensus_rate").numerator == 12


def test_region_and_district_filters_match_the_breakdown(staff_client, history):
    # The crafted history: district A held 12 meetings in 2016-2017, region South (B) 3
    # (the breakdown suppresses both cells, so the known answers are compared).
    _response, total, _counted = _page_counts(staff_client, "meetings_held", district=history.a.pk)
    assert total == 12
    _response, total, _counted = _page_counts(
        staff_client, "meetings_held", region=history.south.pk
    )
    assert total == 3
    # Near misses: an unknown district or a non-number is 404, never the whole list.
    url = reverse("reports:records", args=["meetings_held"])
    assert staff_client.get(url, {**PERIOD, "district": "999999"}).status_code == 404
    assert staff_client.get(url, {**PERIOD, "region": "1 OR 1=1"}).status_code == 404


def test_records_list_refuses_other_roles_and_bad_input(client, staff, history, district):
    url = reverse("reports:records", args=["meetings_held"])
    for user in (
        factories.UserFactory(role=Role.FACILITATOR),
        factories.liaison_user(district),
    ):
        client.force_login(user)
        assert client.get(url, PERIOD).status_code == 403
    client.logout()
    assert client.get(url, PERIOD).status_code == 302
    staff_client = client
    staff_client.force_login(staff)
    assert staff_client.get(reverse("reports:records", args=["meetings"]), PERIOD).status_code == (
        404
    )
    assert staff_client.get(url, {"start": "2017-06-30", "end": "2016-07-01"}).status_code == 400
    assert staff_client.get(url, {"start": "x", "end": "2017-06-30"}).status_code == 400


def test_dashboard_links_headlines_for_staff_only(client, staff_client, history, settings):
    html = staff_client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    for name in FIGURES:
        assert reverse("reports:records", args=[name]) + "?start=2016-07-01" in html
    # Staff whose role loses the permission see the figures without links (near miss:
    # the dashboard itself stays allowed).
    original = rules.permissions.permissions["reports.trace_figures"]
    rules.set_perm("reports.trace_figures", rules.always_deny)
    try:
        html = staff_client.get(reverse("reports:dashboard"), PERIOD).content.decode()
        assert reverse("reports:records", args=["meetings_held"]) not in html
        assert "Meetings held" in html
    finally:
        rules.set_perm("reports.trace_figures", original)


def test_records_list_query_count_does_not_grow(staff_client, query_guard):
    url = reverse("reports:records", args=["consensus_rate"])
    params = {"start": "2016-07-01", "end": "2018-06-30"}
    query_guard(12, lambda: staff_client.get(url, params), add=bulk_history, many=30)


def test_record_references_match_the_figures(history):
    report = metrics.compute(_date(PERIOD["start"]), _date(PERIOD["end"]))
    references = record_references(report.start, report.end)
    assert len(references["meetings_held"]) == report.meetings["held"]
    assert len(references["requests_received"]) == report.requests["received"]
    assert references["districts"] == ["100-001", "200-001"]
    assert history.july.request.reference not in references["meetings_held"]
    counted = figure_records("consensus_rate", report.start, report.end).counts()
    assert counted == (13, 12)


def test_json_with_records_is_staff_only_and_logged(client, staff_client, staff, history):
    url = reverse("reports:export", args=["json"])
    plain = staff_client.get(url, PERIOD)
    assert b'"records"' not in plain.content
    assert AccessLog.objects.count() == 0
    response = staff_client.get(url, {**PERIOD, "with_records": "1"})
    assert response.status_code == 200
    document = json.loads(response.content)
    meetings = document["records"]["meetings_held"]
    assert len(meetings) == document["meetings"]["held"] == 15
    logged = AccessLog.objects.filter(action=AccessAction.EXPORT, user=staff)
    cases = set(meetings) | set(document["records"]["requests_received"])
    assert set(logged.values_list("case_reference", flat=True)) == cases
    # Near miss: a role with the export but without the records permission.
    original = rules.permissions.permissions["reports.trace_figures"]
    rules.set_perm("reports.trace_figures", rules.always_deny)
    try:
        assert staff_client.get(url, {**PERIOD, "with_records": "1"}).status_code == 403
    finally:
        rules.set_perm("reports.trace_figures", original)


def test_annual_report_command_with_records_needs_a_staff_user(staff, history, tmp_path):
    from django.core.management import CommandError, call_command

    output = tmp_path / "report.json"
    args = ["annual_report", "--start", PERIOD["start"], "--end", PERIOD["end"]]
    with pytest.raises(CommandError, match="needs --user"):
        call_command(*args, "--with-records", "--output", str(output))
    facilitator = factories.UserFactory(role=Role.FACILITATOR)
    removed = factories.UserFactory(role=Role.OFFICE_STAFF, is_active=False)
    for user in (facilitator, removed):  # near misses: wrong role, removed account
        with pytest.raises(CommandError, match="not an active office staff"):
            call_command(*args, "--with-records", "--user", user.username, "--output", str(output))
    with pytest.raises(CommandError, match="json only"):
        call_command(*args, "--format", "csv", "--with-records", "--user", staff.username)
    assert not output.exists() and AccessLog.objects.count() == 0
    call_command(*args, "--with-records", "--user", staff.username, "--output", str(output))
    document = json.loads(output.read_text())
    assert len(document["records"]["meetings_held"]) == 15
    assert AccessLog.objects.filter(user=staff, action=AccessAction.EXPORT).count() == len(
        set(document["records"]["requests_received"])
        | set(document["records"]["meetings_held"])
        | set(document["records"]["evaluations_completed"])
    )
    call_command(*args, "--output", str(output))  # without the flag: no records, no log
    assert "records" not in json.loads(output.read_text())
