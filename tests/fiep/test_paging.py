"""fiep.paging: keyset pages (first, next, previous, last) and the bounded count."""

import pytest
from django.test import RequestFactory

from fiep import paging
from fiep.models import District, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    region = Region.objects.create(name="Paging")
    # names repeat, so the order needs the primary key to break ties
    return District.objects.bulk_create(
        District(code=f"P-{i:03d}", name=f"Name {i // 3:02d}", region=region) for i in range(23)
    )


def _page(params, queryset=None, per_page=5):
    request = RequestFactory().get("/", params)
    queryset = queryset if queryset is not None else District.objects.order_by("name")
    return paging.paginate(request, queryset, per_page=per_page)


def _query(link):
    name, value = link.split("=", 1)
    return {name: value}


def _walk_forward(queryset=None):
    page, seen = _page({}, queryset), []
    while True:
        seen += [d.pk for d in page]
        if not page.has_next:
            return seen
        page = _page(_query(page.next_query), queryset)


def test_next_links_visit_every_row_once_in_order(districts):
    expected = list(District.objects.order_by("name", "pk").values_list("pk", flat=True))
    assert _walk_forward() == expected


def test_descending_order_with_ties(districts):
    queryset = District.objects.order_by("-name")
    expected = list(District.objects.order_by("-name", "-pk").values_list("pk", flat=True))
    assert _walk_forward(queryset) == expected


def test_order_by_a_related_field(districts):
    queryset = District.objects.order_by("region__name", "-code")
    expected = list(queryset.values_list("pk", flat=True))
    assert _walk_forward(queryset) == expected


def test_last_page_and_previous_links(districts):
    ordered = list(District.objects.order_by("name", "pk").values_list("pk", flat=True))
    last = _page({"page": "last"})
    assert [d.pk for d in last] == ordered[-5:]
    assert last.has_previous and not last.has_next
    before = _page(_query(last.previous_query))
    assert [d.pk for d in before] == ordered[-10:-5]
    assert before.has_next and before.has_previous
    # walking back to the start ends on the first page, which has no previous
    page = before
    while page.has_previous:
        page = _page(_query(page.previous_query))
    assert [d.pk for d in page] == ordered[:5]


def test_short_list_has_one_page(districts):
    page = _page({"page": "last"}, District.objects.filter(code="P-000").order_by("name"))
    assert len(page) == 1 and not page.has_other_pages()
    assert page.count == 1 and page.count_is_exact


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "W1sidiIsMV1d:forged", "W1sidiIsIk5hbWUiXSxbInYiLDFdXQ"],
)
def test_unsigned_or_malformed_tokens_give_the_first_page(districts, token):
    first = [d.pk for d in _page({})]
    assert [d.pk for d in _page({"after": token})] == first
    assert [d.pk for d in _page({"before": token})] == first


def test_a_token_one_character_off_is_refused(districts):
    token = _page({}).next_query.split("=", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert paging._decode(forged, 2) is None
    assert paging._decode(token, 2) is not None
    assert paging._decode(token, 3) is None  # a token of another list's order


def test_count_is_bounded(districts, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    page = _page({})
    assert page.count == 11 and not page.count_is_exact
    assert page.paginator.count == page.count


def test_query_without_paging_keeps_filters():
    request = RequestFactory().get(
        "/", {"status": "x", "page": "last", "after": "t", "before": "u"}
    )
    assert paging.query_without_paging(request) == "status=x"


def test_plain_rows_page_as_model_rows_do(districts):
    """A ``values()`` queryset (plain rows, as the claims page reads) gives the same pages
    and the same links as the model rows."""
    models = District.objects.order_by("name")
    plain = District.objects.order_by("name").values("pk", "name")
    page, plain_page = _page({}, models), _page({}, plain)
    seen = []
    while True:
        assert [row["pk"] for row in plain_page] == [d.pk for d in page]
        assert (plain_page.next_query, plain_page.previous_query) == (
            page.next_query,
            page.previous_query,
        )
        seen += [row["pk"] for row in plain_page]
        if not page.has_next:
            break
        page = _page(_query(page.next_query), models)
        plain_page = _page(_query(plain_page.next_query), plain)
    assert seen == list(models.values_list("pk", flat=True).order_by("name", "pk"))
    last = _page({"page": "last"}, plain)
    assert [row["pk"] for row in last] == seen[-len(list(last)) :]
