import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fiep.models import Role
from fiep.schoolyear import current_school_year, school_year_from_label
from reports import metrics
from reports.charts import year_label
from reports.pdf import export_pdf
from tests import factories
from tests.reports.bulk import bulk_history

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


def text_of(response):
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_dashboard_anonymous_redirects_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_forbidden_for_facilitators_and_liaisons(client, district):
    for user in (
        factories.UserFactory(role=Role.FACILITATOR),
        factories.liaison_user(district),
    ):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_dashboard_for_staff_and_administrators(client, staff, administrator, history):
    for user in (staff, administrator):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0")


def test_dashboard_school_year_headlines_with_counts(staff_client, history):
    text = text_of(staff_client.get(URL, {"school_year": "2016-2017"}))
    assert "Figures for July 1, 2016 to June 30, 2017" in text
    assert "92% 12 of 13 meetings with a recorded outcome" in text
    assert "76% 16 of 21 evaluations that answered" in text
    assert "95% 19 of 20 evaluations that answered" in text
    assert "Districts holding FIEPs 2" in text


def test_dashboard_suppresses_small_breakdown_cells(staff_client, history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    response = staff_client.get(URL, {"school_year": "2016-2017"})
    html = response.content.decode()
    row = re.search(r"Beta R-II \(200-001\)</th>(.*?)</tr>", html, re.S)[1]
    assert "&lt;3" in row
    assert "12" in re.search(r"Alpha R-I \(100-001\)</th>(.*?)</tr>", html, re.S)[1]


def test_dashboard_zero_denominators_show_dash(staff_client, history):
    text = text_of(staff_client.get(URL, {"school_year": "2015-2016"}))
    assert "Consensus on some to all issues — 0 of 0 meetings with a recorded outcome" in text


def test_dashboard_custom_range(staff_client, history):
    response = staff_client.get(
        URL, {"school_year": "custom", "start": "2017-07-01", "end": "2017-07-01"}
    )
    assert response.context["report"].meetings["held"] == 1


def test_dashboard_invalid_range_shows_errors(staff_client, history):
    response = staff_client.get(
        URL, {"school_year": "custom", "start": "2017-07-02", "end": "2017-07-01"}
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert "report" not in response.context


def test_dashboard_and_pdf_show_the_same_numbers(staff_client, history):
    response = staff_client.get(URL, {"school_year": "2016-2017"})
    headlines = response.context["headlines"]
    report = metrics.compute(response.context["report"].start, response.context["report"].end)
    data = export_pdf(report)[2]
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    page = text_of(response)
    for h in headlines:
        assert f"{h.label} {h.value}" in pdf, h.label
        assert h.detail in pdf
        assert f"{h.label} {h.value} {h.detail}" in page


def test_dashboard_charts_have_alt_text_and_data_tables(staff_client, history):
    response = staff_client.get(URL, {"school_year": "2016-2017"})
    html = response.content.decode()
    assert html.count('src="data:image/svg+xml;base64,') == 5
    assert 'alt="Meetings held by school year. 2015-2016: 0; 2016-2017: 15."' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_dashboard_query_count_does_not_grow(staff_client, staff, query_guard):
    params = {"school_year": "custom", "start": "2016-07-01", "end": "2018-06-30"}
    response = query_guard(31, lambda: staff_client.get(URL, params), add=bulk_history, many=301)
    assert response.context["report"].meetings["held"] == 301


def test_staff_home_links_to_dashboard(staff_client):
    html = staff_client.get(reverse("staff-home")).content.decode()
    assert reverse("reports:dashboard") in html
    assert reverse("reports:runs") in html


def test_staff_home_panel_hidden_for_facilitators(client):
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert reverse("reports:dashboard") not in client.get(reverse("staff-home")).content.decode()


def test_dashboard_in_spanish(staff_client, history, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    text = text_of(staff_client.get(URL, {"school_year": "2016-2017"}))
    assert "Cifras principales" in text
    assert "92% 12 de 13 reuniones con resultado registrado" in text


def test_dashboard_and_pdf_embed_the_same_svg(staff_client, history):
    from reports.pdf import render_pdf_html

    response = staff_client.get(URL, {"school_year": "2016-2017"})
    charts = response.context["charts"]
    pdf_html = render_pdf_html(response.context["report"])
    html = response.content.decode()
    for chart in charts:
        assert chart.data_uri in html
        assert chart.data_uri in pdf_html


def test_dashboard_defaults_to_the_current_school_year(staff_client):
    current = current_school_year()
    response = staff_client.get(URL)
    assert response.context["form"].data == {"school_year": current.label}
    assert f'<option value="{current.label}" selected>' in response.content.decode()
    assert (response.context["report"].start, response.context["report"].end) == (
        current.start,
        current.end,
    )


def test_trends_mark_the_current_school_year_partial(staff_client, history):
    current = current_school_year()
    previous = school_year_from_label(f"{current.start_year - 1}-{current.start_year}")
    response = staff_client.get(
        URL, {"school_year": "custom", "start": "2016-07-01", "end": current.end.isoformat()}
    )
    rows = [row[0] for row in response.context["charts"][0].rows]
    assert f"{current.label} (partial)" in rows
    assert previous.label in rows
    assert f"{previous.label} (partial)" not in rows
    assert "2016-2017" in rows


def test_year_label_partial_until_the_last_day(settings):
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 7
    assert year_label("2025-2026", today=datetime.date(2026, 6, 30)) == "2025-2026 (partial)"
    assert year_label("2025-2026", today=datetime.date(2026, 7, 1)) == "2025-2026"
    with translation.override("es"):
        assert year_label("2026-2027", today=datetime.date(2026, 12, 1)) == "2026-2027 (parcial)"


def test_evaluations_card_reads_as_a_sentence(staff_client, history):
    factories.EvaluationFactory.create_batch(1000, meeting=factories.MeetingFactory(held=True))
    text = text_of(staff_client.get(URL, {"school_year": current_school_year().label}))
    assert "Evaluations completed 1,000 1,000 completed evaluations · no invitations" in text
    text = text_of(staff_client.get(URL, {"school_year": "2016-2017"}))
    assert re.search(r"\d+ completed evaluations · \d+ of \d+ invitations answered", text)


def test_dashboard_shows_the_overview_first_and_breakdowns_in_sections_to_open(
    staff_client, history
):
    html = staff_client.get(URL, {"school_year": "2016-2017"}).content.decode()
    headline, trends = html.index('id="headline-heading"'), html.index('id="trends-heading"')
    first_details = html.index("<details")
    assert headline < trends < first_details
    for name in ["region", "district", "facilitator", "requester", "role"]:
        opening = re.search(rf'<details class="mb-3" id="breakdown-{name}">\s*<summary', html)
        assert opening, name
    assert html.index('id="breakdown-region"') < html.index('id="breakdown-district"')
    assert "<details open" not in html


def test_requests_received_links_to_the_records_it_counts(staff_client, history):
    response = staff_client.get(URL, {"school_year": "2016-2017"})
    html = response.content.decode()
    link = re.search(
        r'href="(/reports/records/requests_received/\?start=2016-07-01&amp;[^"]*)"', html
    )
    assert link
    records = staff_client.get(link[1].replace("&amp;", "&"))
    headline = next(h for h in response.context["headlines"] if h.name == "requests_received")
    assert records.context["total"] == int(headline.value) == 18
