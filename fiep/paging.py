"""THE pagination of staff list pages: keyset pages and a bounded count.

A page is found by the position of its first or last row in the list's order, never by an
offset, so the last page of half a million rows costs what the first one does:

- no parameter: the first page;
- ``after=TOKEN``: the page after the row TOKEN names (the "Next" link);
- ``before=TOKEN``: the page before it ("Previous");
- ``page=last``: the last page ("Last"), read in the reverse order.

TOKEN holds the values of the ordering's fields of that row (signed, so it cannot be
forged into a lookup of other values). The list's order must end with a unique field; the
primary key is added when it does not. Ordering fields must not be NULL.

The count is bounded: up to :data:`COUNT_LIMIT` rows are counted; beyond that the page says
"more than 1,000" (``page.count_is_exact`` is False).

    page = paginate(request, queryset, per_page=50)
    # template: {% include "includes/pagination.html" %} with ``page`` and ``query``
"""

import base64
import datetime
import decimal
import json

from django.core import signing
from django.db.models import F, Q

COUNT_LIMIT = 1000
_SALT = "fiep.paging"


def _encode(values):
    tagged = []
    for value in values:
        if isinstance(value, datetime.datetime):
            tagged.append(["t", value.isoformat()])
        elif isinstance(value, datetime.date):
            tagged.append(["d", value.isoformat()])
        elif isinstance(value, decimal.Decimal):
            tagged.append(["m", str(value)])
        else:
            tagged.append(["v", value])
    raw = json.dumps(tagged, separators=(",", ":"))
    return signing.Signer(salt=_SALT).sign(base64.urlsafe_b64encode(raw.encode()).decode())


def _decode(token, length):
    """The values a token holds, or None if it is not a token of this site and shape."""
    try:
        raw = signing.Signer(salt=_SALT).unsign(token)
        tagged = json.loads(base64.urlsafe_b64decode(raw.encode()))
        values = []
        for tag, value in tagged:
            if tag == "t":
                values.append(datetime.datetime.fromisoformat(value))
            elif tag == "d":
                values.append(datetime.date.fromisoformat(value))
            elif tag == "m":
                values.append(decimal.Decimal(value))
            elif tag == "v" and (value is None or isinstance(value, (str, int, float, bool))):
                values.append(value)
            else:
                return None
    except (signing.BadSignature, ValueError, TypeError, decimal.InvalidOperation):
        return None
    if len(values) != length or any(v is None for v in values):
        return None
    return values


def _ordering(queryset):
    """``[(field, descending)]`` of the queryset's order, ending with the primary key."""
    names = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    fields = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            raise ValueError(f"keyset pages need field names to order by, not {name!r}")
        descending = name.startswith("-")
        field = name.lstrip("-")
        fields.append(("pk" if field == "id" else field, descending))
    if not any(field == "pk" for field, _ in fields):
        fields.append(("pk", fields[-1][1] if fields else False))
    return fields


def _after(fields, values, *, reverse):
    """Rows after ``values`` in the order ``fields`` (before them when ``reverse``)."""
    condition = Q()
    equal = Q()
    for (field, descending), value in zip(fields, values, strict=True):
        lookup = "lt" if descending != reverse else "gt"
        condition |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    # The first field's bound on its own lets the database start its index scan there.
    first, descending = fields[0]
    bound = Q(**{f"{first}__{'lte' if descending != reverse else 'gte'}": values[0]})
    return bound & condition


class Page:
    """One page: iterate it for its rows. ``paginator`` is the page itself, so templates
    and tests written for Django's Page keep working (``page.paginator.count``)."""

    def __init__(self, rows, *, has_next, has_previous, first_token, last_token, count_query):
        self.object_list = rows
        self.has_next = has_next
        self.has_previous = has_previous
        self._first_token = first_token
        self._last_token = last_token
        self._count_query = count_query
        self._count = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __bool__(self):
        return bool(self.object_list)

    @property
    def paginator(self):
        return self

    @property
    def count(self):
        """How many rows the list has, counted up to COUNT_LIMIT + 1."""
        if self._count is None:
            self._count = self._count_query[: COUNT_LIMIT + 1].count()
        return self._count

    @property
    def count_is_exact(self):
        return self.count <= COUNT_LIMIT

    @property
    def count_limit(self):
        return COUNT_LIMIT

    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def next_query(self):
        return f"after={self._last_token}" if self.has_next else ""

    @property
    def previous_query(self):
        return f"before={self._first_token}" if self.has_previous else ""


def paginate(request, queryset, *, per_page):
    """The page of ``queryset`` (already filtered and ordered) the request's URL asks for."""
    fields = _ordering(queryset)
    keys = {f"_page_key{i}": F(field) for i, (field, _) in enumerate(fields)}
    ordered = queryset.annotate(**keys).order_by(
        *[f"{'-' if descending else ''}_page_key{i}" for i, (_, descending) in enumerate(fields)]
    )
    reverse_order = [
        f"{'' if descending else '-'}_page_key{i}" for i, (_, descending) in enumerate(fields)
    ]
    after = before = None
    last = request.GET.get("page") == "last"
    if not last:
        after = _decode(request.GET.get("after", ""), len(fields))
        if after is None:
            before = _decode(request.GET.get("before", ""), len(fields))
    if last:
        rows = list(ordered.order_by(*reverse_order)[: per_page + 1])
        has_previous, has_next = len(rows) > per_page, False
        rows = rows[:per_page][::-1]
    elif before is not None:
        rows = list(
            ordered.filter(_after(fields, before, reverse=True)).order_by(*reverse_order)[
                : per_page + 1
            ]
        )
        has_previous, has_next = len(rows) > per_page, True
        rows = rows[:per_page][::-1]
        if not has_previous and len(rows) < per_page:
            before = None  # walking back reached the start: show the full first page
    if before is None and not last:
        base = ordered.filter(_after(fields, after, reverse=False)) if after else ordered
        rows = list(base[: per_page + 1])
        has_next, has_previous = len(rows) > per_page, after is not None
        rows = rows[:per_page]

    def token(row):
        # A model instance, or a dict when the queryset is ``values()`` (plain rows).
        if isinstance(row, dict):
            return _encode([row[key] for key in keys])
        return _encode([getattr(row, key) for key in keys])

    return Page(
        rows,
        has_next=has_next,
        has_previous=has_previous,
        first_token=token(rows[0]) if rows else "",
        last_token=token(rows[-1]) if rows else "",
        count_query=queryset.order_by(),
    )


def query_without_paging(request):
    """The request's query string without the paging parameters (for the page links)."""
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return query.urlencode()
