"""The inbox search's trigram indexes (issue 16) exist on PostgreSQL, on ``UPPER(column)``
as Django's ``icontains`` compares, and PostgreSQL uses them for the search."""

import pytest
from django.db import connection

from fiep_requests.filters import RequestFilter
from fiep_requests.models import FacilitationRequest

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes"),
]

NAMES = {
    "request_reference_trgm": "reference",
    "request_parent_trgm": "parent_name",
    "request_student_first_trgm": "student_first_name",
    "request_student_last_trgm": "student_last_name",
}


def test_trigram_indexes_exist_on_the_searched_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [FacilitationRequest._meta.db_table],
        )
        found = dict(cursor.fetchall())
    for name, column in NAMES.items():
        assert "gin" in found[name].lower(), found[name]
        assert f"upper(({column})::text) gin_trgm_ops" in found[name].lower(), found[name]


def test_search_can_use_the_indexes():
    queryset = RequestFilter(
        {"q": "LS-2020-00042"}, queryset=FacilitationRequest.objects.all()
    ).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "request_reference_trgm" in plan, plan
