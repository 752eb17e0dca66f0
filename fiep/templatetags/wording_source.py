"""Filters and tags of the engine that writes a default message back as editable text
(``fiep.wording.default_source``): a placeholder passes through ``date`` and ``time``
unchanged, and ``{% url %}`` becomes the link placeholder of that page."""

from django import template
from django.template import defaultfilters

register = template.Library()

#: URL names the default texts build links from, and the placeholder each link is.
URL_PLACEHOLDERS = {"meetings:claim": "claim_url", "meetings:outcome": "outcome_url"}


def _is_marker(value):
    return type(value).__name__ == "Marker"


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    return value if _is_marker(value) else defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    return value if _is_marker(value) else defaultfilters.time(value, arg)


class _PlaceholderNode(template.Node):
    def __init__(self, name):
        self.name = name

    def render(self, context):
        return f"{{{{ {self.name} }}}}" if self.name else ""


@register.tag
def url(parser, token):
    bits = token.split_contents()
    name = bits[1].strip("'\"") if len(bits) > 1 else ""
    return _PlaceholderNode(URL_PLACEHOLDERS.get(name, ""))
