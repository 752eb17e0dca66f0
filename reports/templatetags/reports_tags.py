"""Template filters for report figures (whole percents, "—", "<10")."""

from django import template

from reports.presentation import cell_text, change_text, number_text, percent_text

register = template.Library()


@register.filter
def percent(rate):
    """A Rate as a whole percent (``97%``) or ``—``."""
    return percent_text(rate)


@register.filter
def cell(value):
    """A breakdown cell: a count, ``<10`` or a whole percent."""
    return cell_text(value)


@register.filter
def number(value):
    return number_text(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else mapping[key]


@register.filter
def change(value):
    """A year-over-year change: ``+5 (+20%)``, ``-20 (-17%)`` or ``—``."""
    return change_text(value)
