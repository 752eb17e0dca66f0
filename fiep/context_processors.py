from django.conf import settings


def branding(request):
    """The state's and agency's names and contact details for every page."""
    return {
        "FIEP_STATE_NAME": settings.FIEP_STATE_NAME,
        "FIEP_AGENCY_NAME": settings.FIEP_AGENCY_NAME,
        "FIEP_OFFICE_EMAIL": settings.FIEP_OFFICE_EMAIL,
        "FIEP_OFFICE_PHONE": settings.FIEP_OFFICE_PHONE,
        "FIEP_OFFICE_FAX": settings.FIEP_OFFICE_FAX,
        "FIEP_OFFICE_ADDRESS_LINES": settings.FIEP_OFFICE_MAILING_ADDRESS.split("|"),
    }
