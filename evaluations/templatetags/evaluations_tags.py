from django import template

register = template.Library()


@register.filter
def percent(rate):
    """A rate as a whole percent ("97%"), or "—" when there is none (denominator 0)."""
    if rate is None:
        return "—"
    return f"{round(rate * 100)}%"
