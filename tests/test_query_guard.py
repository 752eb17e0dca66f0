"""The suite's one query-count guard (``query_guard`` in tests/conftest.py) catches a
query per row and a count that is off by one."""

import pytest

from fiep.models import Region

pytestmark = pytest.mark.django_db


def add_regions(n):
    start = Region.objects.count()
    Region.objects.bulk_create(Region(name=f"Region {start + i}") for i in range(n))


def test_query_guard_passes_a_constant_list(query_guard):
    regions = query_guard(1, lambda: list(Region.objects.all()), add=add_regions)
    assert len(regions) == 3


def test_query_guard_fails_a_query_per_row(query_guard):
    def one_query_per_row():
        return [
            Region.objects.get(pk=pk).name for pk in Region.objects.values_list("pk", flat=True)
        ]

    with pytest.raises(pytest.fail.Exception, match="with 3 items"):
        query_guard(2, one_query_per_row, add=add_regions)


def test_query_guard_fails_an_exact_count_off_by_one(query_guard):
    with pytest.raises(pytest.fail.Exception, match="with 1 item"):
        query_guard(2, lambda: list(Region.objects.all()), add=add_regions)


def test_query_guard_refuses_fewer_than_three_items(query_guard):
    with pytest.raises(AssertionError, match="3 or more"):
        query_guard(1, lambda: list(Region.objects.all()), add=add_regions, many=2)
