from django.conf import settings

from .branding import branding_context


def branding(request):
    """The state's and agency's names (in the page's language) and the office's contact
    details for every page, with the mailing address and fax for paper forms."""
    return {
        **branding_context(),
        "FIEP_OFFICE_FAX": settings.FIEP_OFFICE_FAX,
        "FIEP_OFFICE_ADDRESS_LINES": settings.FIEP_OFFICE_MAILING_ADDRESS.split("|"),
    }
