"""Pages of the shared core: public home and FAQ, the staff home, the health check."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from .ratelimit import rate_limit
from .signals import staff_home_panels

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "fiep/home.html")


@require_GET
def faq(request):
    return render(request, "fiep/faq.html")


@never_cache
@login_required
@permission_required("fiep.view_staff_home", raise_exception=True)
def staff_home(request):
    # Each app connects its boxes to the signal in its AppConfig.ready(), with an order.
    panels = staff_home_panels.collect(request=request)
    return render(request, "fiep/staff_home.html", {"panels": panels})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset form, with each POST counted against the per-address
    hourly limit (it sends e-mail, so it must not become a mail cannon). Fails open."""

    @method_decorator(rate_limit("password-reset"))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


def _broker_status():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager", True

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001  (any failure means "down")
        logger.warning("health: broker unreachable: %s", type(exc).__name__)
        return "down", False
    return "ok", True


@never_cache
@require_GET
def health(request):
    """Database and broker status as JSON.

    503 only when the database is down: with the broker down the site still takes
    requests (messages wait in the outbox), so the status is "degraded" and 200.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_ok = True
    except Exception as exc:  # noqa: BLE001
        logger.error("health: database unreachable: %s", type(exc).__name__)
        database_ok = False
    broker, broker_ok = _broker_status()
    if not database_ok:
        status, code = "down", 503
    elif not broker_ok:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse(
        {"status": status, "database": "ok" if database_ok else "down", "broker": broker},
        status=code,
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(
        request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500
    )


@require_GET
def favicon(request):
    """``/favicon.ico``, asked for by browsers on pages without a ``<link rel="icon">``
    (the error pages): the site's icon instead of a 404."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
