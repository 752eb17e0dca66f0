"""Texts rendered in a given language, whoever is looking at the page."""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def in_language(language, message, **params):
    """``message`` (lazy or plain, ``%(name)s`` placeholders) rendered in ``language``.

    Lazy parameters (e.g. a choice's label) are rendered in that language too.
    """
    with translation.override(language):
        text = str(message)
        if not params:
            return text
        return text % {
            key: str(value) if isinstance(value, Promise) else value
            for key, value in params.items()
        }


def in_site_language(message, **params):
    """``message`` in the site's language (``settings.LANGUAGE_CODE``): for texts stored on
    a record (history, closing reasons), never the language of whoever clicked."""
    return in_language(settings.LANGUAGE_CODE, message, **params)
