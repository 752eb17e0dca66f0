"""Cell texts of a staff list page's rows, worked out once per page (issue 16).

A list page draws up to 50 rows, and Django's template language pays its whole price per
row for what is the same work for each: ``{% url %}`` runs ``reverse()`` (namespace look-up,
the route's pattern, a regular-expression check), ``get_FOO_display`` builds the field's
choice dictionary and translates every label again, ``|date`` formats through
``DateFormat``, a number looks up the language's separators again, and a loop over a
prefetched relation makes a model per related row and a loop context per row. On the
roster that was most of the time a row cost.

The page's view prepares those cells with the helpers below — the text each template
construct printed, the same characters — and the template prints them with
``{{ row.attribute }}``; the template still draws the table (headings, labels, ``aria-``
attributes, badges stay in it). ``tests/fiep/test_cells.py`` compares every helper with
the template construct it stands for; each page's test compares its rows with the markup
the template drew before.

    link = cells.links("facilitators:detail")                # reverse() once
    labels = cells.labels(Facilitator, "contract_status")  # translated once
    for f in page:
        f.row_url = link(f.pk)
        f.status_label = labels.get(f.contract_status, f.contract_status)
        f.last_assigned_day = cells.day(f.last_assigned_at, tz)
"""

import datetime
import decimal

from django.urls import reverse
from django.utils import numberformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language

# Any positive integer that a route's own text does not contain: reverse() is run once
# with it, and the URL of another key is the text around it with that key in its place.
_MARKER = 7_919_031_117


def links(viewname):
    """``pk → reverse(viewname, args=[pk])`` for a route whose one argument is an
    ``<int:…>`` key, reversing once: the same URL (script prefix included) for every
    positive integer key. A route whose text holds the marker reverses per call."""
    marker = str(_MARKER)
    head, found, tail = reverse(viewname, args=[_MARKER]).partition(marker)
    if not found or marker in head or marker in tail:
        return lambda pk: reverse(viewname, args=[pk])

    def link(pk):
        if type(pk) is not int or pk < 0:
            return reverse(viewname, args=[pk])
        return f"{head}{pk}{tail}"

    return link


def labels(model, field_name):
    """``{value: label}`` of a model field's choices as text in the active language: what
    ``get_FOO_display()`` prints (``.get(value, value)``: it falls back to the value),
    translated once per page instead of once per row. Call it while the page's language
    is active (in the view)."""
    choices = model._meta.get_field(field_name).flatchoices
    return {value: str(label) for value, label in choices}


def numbers():
    """``value → text``: what ``{{ value }}`` prints for a number (an int, a Decimal, a
    float) in the active language: Django's own ``numberformat.format`` with the
    language's separators and grouping, looked up once per page (the template looks them
    up again for every number it prints). Anything else is returned as it is, for the
    template to print. Call it while the page's language is active (in the view)."""
    language = get_language()
    decimal_sep = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_sep = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def number(value):
        if isinstance(value, bool) or not isinstance(value, (decimal.Decimal, float, int)):
            return value
        return numberformat.format(
            value, decimal_sep, None, grouping, thousand_sep, force_grouping=False, use_l10n=True
        )

    return number


def day(value, tz=None):
    """What ``{{ value|date:"Y-m-d" }}`` prints: a date's ``YYYY-MM-DD``; an aware
    datetime's local day in ``tz`` (the current time zone, as the template's; pass it
    once per page); None for None (the template's ``{% if %}`` decides what then)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(tz or timezone.get_current_timezone())
        value = value.date()
    return value.isoformat()


def month(value, tz=None):
    """What ``{{ value|date:"Y-m" }}`` prints (None for None)."""
    text = day(value, tz)
    return None if text is None else text[:7]


def names(rows):
    """``{owner id: "name, name"}`` from ``(owner id, name)`` rows read in the order the
    names are printed: what a ``{% for %}`` over the related objects printed with ``", "``
    between them (the template escapes the joined text as it escaped each name; an owner
    without any is missing: ``.get(pk, "")``)."""
    joined = {}
    for owner, name in rows:
        if owner in joined:
            joined[owner].append(name)
        else:
            joined[owner] = [name]
    return {owner: ", ".join(parts) for owner, parts in joined.items()}
