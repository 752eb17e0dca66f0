"""Views of the intake app (the public request form is built in issue 3)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def request_new(request):
    return render(request, "fiep_requests/request_new.html")
