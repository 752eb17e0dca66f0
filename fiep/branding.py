"""The agency's name in the reader's language, with the right article.

``FIEP_AGENCY_NAME`` is the English name; ``FIEP_AGENCY_NAME_ES`` the Spanish one and
``FIEP_AGENCY_GENDER_ES`` its gender ("m": *el Departamento*, *del Departamento*; "f": *la
Secretaría*, *de la Secretaría*). Sentences never put an article before the name
themselves: they use :func:`agency_the` ("the Department …" / "el Departamento …") or
:func:`agency_of` ("of the Department …" / "del Departamento …").

Every function reads the active language, so the same template, e-mail or PDF gets the
Spanish name when it is rendered in Spanish. :func:`branding_context` gives the template
variables (lazy: they follow the language active when the template renders).
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy

from .zones import zone_name


def _spanish():
    return (translation.get_language() or "").split("-")[0] == "es"


def agency_name():
    """The agency's name alone, in the active language."""
    return settings.FIEP_AGENCY_NAME_ES if _spanish() else settings.FIEP_AGENCY_NAME


def agency_the():
    """The name with its definite article: "the …", "el …" or "la …"."""
    if _spanish():
        article = "la" if settings.FIEP_AGENCY_GENDER_ES == "f" else "el"
        return f"{article} {settings.FIEP_AGENCY_NAME_ES}"
    return f"the {settings.FIEP_AGENCY_NAME}"


def agency_of():
    """The name after "of": "of the …", "del …" or "de la …"."""
    if _spanish():
        article = "de la" if settings.FIEP_AGENCY_GENDER_ES == "f" else "del"
        return f"{article} {settings.FIEP_AGENCY_NAME_ES}"
    return f"of the {settings.FIEP_AGENCY_NAME}"


def branding_context():
    """Template variables: the state, the agency, the office's contact details, the zone."""
    return {
        "FIEP_STATE_NAME": settings.FIEP_STATE_NAME,
        "FIEP_AGENCY_NAME": lazy(agency_name, str)(),
        "FIEP_AGENCY_THE": lazy(agency_the, str)(),
        "FIEP_AGENCY_OF": lazy(agency_of, str)(),
        "FIEP_OFFICE_EMAIL": settings.FIEP_OFFICE_EMAIL,
        "FIEP_OFFICE_PHONE": settings.FIEP_OFFICE_PHONE,
        # The state's time zone by name ("Central Time" / "hora del centro").
        "FIEP_TIME_ZONE_NAME": lazy(zone_name, str)(),
    }
