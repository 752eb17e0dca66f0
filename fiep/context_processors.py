from .branding import branding_context


def branding(request):
    """The state's and agency's names (in the page's language) and the office's contact
    details for every page."""
    return branding_context()
