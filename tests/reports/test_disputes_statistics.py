import pytest
from django.urls import reverse

from fiep.models import Role
from reports.history.selectors import Change, dispute_statistics_trend
from reports.models import DisputeStatistics
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/reports/history/disputes/"
ADD = "/reports/history/disputes/add/"


def data(**overrides):
    values = {
        "school_year": "2018-2019",
        "child_complaints": "110",
        "allegations": "290",
        "mediations": "",
        "due_process": "40",
    }
    values.update(overrides)
    return values


def test_disputes_url_names():
    assert reverse("reports:disputes-list") == LIST
    assert reverse("reports:disputes-add") == ADD
    assert reverse("reports:disputes-edit", args=[2016]) == "/reports/history/disputes/2016/"


def test_disputes_add_creates_row(staff_client):
    response = staff_client.post(ADD, data())

    assert response.status_code == 302
    assert response["Location"] == LIST
    row = DisputeStatistics.objects.get()
    assert (row.start_year, row.child_complaints, row.allegations) == (2018, 110, 290)
    assert (row.mediations, row.due_process, row.imported) == (None, 40, False)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("child_complaints", "-1", "Enter a number of 0 or more."),
        ("allegations", "2.5", "Enter a whole number."),
        ("allegations", "", "This field is required."),
        ("due_process", "many", "Enter a whole number."),
        ("school_year", "2018-2020", "2018-2020 is not a school year like 2016-2017."),
        ("school_year", "2018", "2018 is not a school year like 2016-2017."),
    ],
)
def test_disputes_add_invalid_value_rejected(staff_client, field, value, error):
    response = staff_client.post(ADD, data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert DisputeStatistics.objects.count() == 0


def test_disputes_add_duplicate_school_year_rejected(staff_client):
    factories.DisputeStatisticsFactory(start_year=2018)

    response = staff_client.post(ADD, data())

    assert response.context["form"].errors["school_year"] == [
        "There are already statistics for 2018-2019: edit that school year instead."
    ]
    assert DisputeStatistics.objects.get().child_complaints == 120


def test_disputes_edit_updates_row(admin_client_):
    factories.DisputeStatisticsFactory(start_year=2018)

    response = admin_client_.post("/reports/history/disputes/2018/", data(child_complaints="99"))

    assert response.status_code == 302
    assert DisputeStatistics.objects.get().child_complaints == 99


def test_disputes_edit_page_shows_school_year(staff_client):
    factories.DisputeStatisticsFactory(start_year=2018)

    response = staff_client.get("/reports/history/disputes/2018/")

    assert response.context["form"]["school_year"].value() == "2018-2019"


def test_disputes_edit_cannot_move_onto_another_year(staff_client):
    factories.DisputeStatisticsFactory(start_year=2017)
    factories.DisputeStatisticsFactory(start_year=2018)

    response = staff_client.post("/reports/history/disputes/2018/", data(school_year="2017-2018"))

    assert response.context["form"].errors["school_year"] == [
        "There are already statistics for 2017-2018: edit that school year instead."
    ]


def test_disputes_edit_unknown_year_404(staff_client):
    assert staff_client.get("/reports/history/disputes/1999/").status_code == 404


def test_disputes_trend_year_over_year_change():
    factories.DisputeStatisticsFactory(
        start_year=2015, child_complaints=142, allegations=389, mediations=61
    )
    factories.DisputeStatisticsFactory(
        start_year=2016, child_complaints=128, allegations=389, mediations=None
    )
    factories.DisputeStatisticsFactory(start_year=2018, child_complaints=100, allegations=0)
    factories.DisputeStatisticsFactory(start_year=2019, child_complaints=100, allegations=5)

    trend = dispute_statistics_trend()

    assert [row.start_year for row, _c in trend] == [2015, 2016, 2018, 2019]
    assert trend[0][1]["child_complaints"] == Change(142)
    assert trend[1][1]["child_complaints"] == Change(128, -14, -10)
    assert trend[1][1]["allegations"] == Change(389, 0, 0)
    assert trend[1][1]["mediations"] == Change(None)
    assert trend[2][1]["child_complaints"] == Change(100)  # 2017-2018 is missing
    assert trend[3][1]["allegations"] == Change(5, 5, None)  # from zero: no percent
    assert trend[1][1]["child_complaints"].direction == "down"


def test_disputes_list_shows_change(staff_client):
    factories.DisputeStatisticsFactory(start_year=2015, child_complaints=142)
    factories.DisputeStatisticsFactory(start_year=2016, child_complaints=128)

    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert "-14 (-10%)" in response.content.decode()


def test_disputes_list_query_count(staff_client, query_guard):
    years = iter(range(2000, 2020))

    def add(n):
        for _ in range(n):
            factories.DisputeStatisticsFactory(start_year=next(years))

    query_guard(7, lambda: staff_client.get(LIST), add=add, many=20)


@pytest.mark.parametrize("url", [LIST, ADD])
def test_disputes_facilitator_forbidden(client, url):
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))

    assert client.get(url).status_code == 403
    assert client.post(ADD, data()).status_code == 403
    assert DisputeStatistics.objects.count() == 0


@pytest.mark.parametrize("url", [LIST, ADD])
def test_disputes_anonymous_redirected(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_history_panel_links_for_staff(rf, staff):
    from reports.history.panels import history_staff_panels

    request = rf.get("/staff/")
    request.user = staff

    [(template, context)] = history_staff_panels(request)

    assert template == "fiep/_panel_links.html"
    assert [url for _label, url in context["links"]] == [LIST, "/reports/history/import/"]


def test_history_panel_empty_for_facilitator(rf):
    from reports.history.panels import history_staff_panels

    request = rf.get("/staff/")
    request.user = factories.UserFactory(role=Role.FACILITATOR)

    assert history_staff_panels(request) == []
