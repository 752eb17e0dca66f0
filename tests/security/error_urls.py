"""A test-only URLconf: the project's URLs plus a view that fails (for the 500 page)."""

from django.urls import include, path


def boom(request):
    # The request carries a student's name; nothing of it may reach the page or the log.
    raise RuntimeError("simulated failure")


urlpatterns = [
    path("boom/", boom, name="boom"),
    path("", include("fiep.urls")),
]

handler403 = "fiep.views.error_403"
handler404 = "fiep.views.error_404"
handler500 = "fiep.views.error_500"
