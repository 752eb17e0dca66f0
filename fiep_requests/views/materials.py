"""The public Materials page: printable request form and flyer (PDF), the procedures."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..materials import KINDS, material_pdf


@require_GET
def materials(request):
    return render(
        request,
        "fiep_requests/materials.html",
        {"kinds": KINDS, "languages": settings.LANGUAGES},
    )


@require_GET
def procedures(request):
    return render(request, "fiep_requests/procedures.html")


@require_GET
def material_download(request, kind, language):
    if kind not in KINDS or language not in dict(settings.LANGUAGES):
        raise Http404
    filename, mimetype, content = material_pdf(kind=kind, language=language)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response
