"""Pages of the shared core: public home and FAQ, the staff home, the health check."""

import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.db.models import Min
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from .middleware import database_unavailable, is_database_unavailable
from .models import Heartbeat, OutboxMessage, OutboxStatus, Role
from .ratelimit import rate_limit
from .rules import role_of
from .signals import health_parts, staff_home_panels

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
    return render(
        request,
        "fiep/staff_home.html",
        {"panels": panels, "home_title": home_title(request.user)},
    )


def home_title(user):
    """The landing page's title: the program staff's "Staff home", or the user's own role's."""
    role = role_of(user)
    if role == Role.FACILITATOR:
        return _("Facilitator home")
    if role == Role.DISTRICT_LIAISON:
        return _("District liaison home")
    return _("Staff home")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset form, with each POST counted against the per-address
    hourly limit (it sends e-mail, so it must not become a mail cannon). Fails open."""

    @method_decorator(rate_limit("password-reset"))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        """Send the link built from ``SITE_URL``, never from the request's Host header:
        a forged Host would otherwise put an attacker's address in the reset e-mail and
        deliver the user's reset token to them when the link is clicked."""
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


def _broker_status():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"

    transport = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    try:
        with Connection(
            settings.CELERY_BROKER_URL, connect_timeout=1, transport_options=transport
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Connecting is not enough: a hung Redis accepts and never answers.
            conn.default_channel.client.ping()
    except Exception as exc:  # noqa: BLE001  (any failure means "down")
        logger.warning("health: broker unreachable: %s", type(exc).__name__)
        return "down"
    return "ok"


def _age(moment, now):
    return None if moment is None else round((now - moment).total_seconds())


def _database_facts():
    """Database status and what the database knows of the other parts (one thread)."""
    db = connection
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = timezone.now()
        beats = {b.name: b for b in Heartbeat.objects.filter(name__in=["worker", "smtp"])}
        unsent = OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
        ).aggregate(oldest=Min("created_at"))
        counts = {
            "unsent": OutboxMessage.objects.filter(
                status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
            ).count(),
            "undelivered": OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count(),
        }
        parts = dict(health_parts.collect(now=now))
    except Exception as exc:  # noqa: BLE001
        logger.error("health: database unreachable: %s", type(exc).__name__)
        return {"database": "down"}
    finally:
        if threading.current_thread() is not threading.main_thread():
            db.close()
    stale_after = 3 * settings.FIEP_HEARTBEAT_SECONDS
    worker = beats.get("worker")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        worker_status = {"status": "eager"}
    elif worker is None:
        worker_status = {"status": "unknown", "age_seconds": None}
    else:
        age = _age(worker.at, now)
        worker_status = {"status": "ok" if age <= stale_after else "stale", "age_seconds": age}
    smtp = beats.get("smtp")
    smtp_status = (
        {"status": "unknown"}
        if smtp is None
        else {
            "status": "ok" if smtp.ok else "failing",
            "age_seconds": _age(smtp.at, now),
            **({} if smtp.ok else {"error": smtp.detail[:200]}),
        }
    )
    oldest = _age(unsent["oldest"], now)
    # Behind when a message waits longer than two sweeps (plus the first retry).
    behind = oldest is not None and oldest > 2 * settings.FIEP_OUTBOX_SWEEP_SECONDS + 60
    outbox_status = {
        "status": "behind" if behind or counts["undelivered"] else "ok",
        "oldest_unsent_age_seconds": oldest,
        **counts,
    }
    return {
        "database": "ok",
        "worker": worker_status,
        "smtp": smtp_status,
        "outbox": outbox_status,
        **parts,
    }


@never_cache
@require_GET
def health(request):
    """Each part's status as JSON, within FIEP_HEALTH_DEADLINE_SECONDS whatever hangs.

    ``database``, ``broker``, ``worker`` (age of the heartbeat a beat task makes the
    worker write), ``smtp`` (the last SMTP conversation), ``outbox`` (age of the oldest
    unsent message, messages given up on). The top-level ``status`` is "ok" and the answer
    200 whenever the database answers — the site takes requests and every message waits
    in the outbox; ``problems`` names the parts that are not well. 503 only when the
    database is down or does not answer in time.
    """
    deadline = settings.FIEP_HEALTH_DEADLINE_SECONDS
    # A local SQLite file cannot hang on a network; it is read in this thread (its test
    # database is only visible here).
    local = connection.vendor == "sqlite"
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health")
    try:
        futures = [pool.submit(_broker_status)]
        if not local:
            futures.append(pool.submit(_database_facts))
        facts = _database_facts() if local else None
        done, _pending = wait(futures, timeout=deadline)
    finally:
        # Never wait for a hung check: its thread ends with its socket timeout.
        pool.shutdown(wait=False)
    broker_future = futures[0]
    if not local:
        facts = futures[1].result() if futures[1] in done else {"database": "timeout"}
    broker = broker_future.result() if broker_future in done else "timeout"
    answer = {"status": "ok", **facts, "broker": broker}
    problems = [
        name
        for name, part in answer.items()
        if isinstance(part, dict) and part.get("status") not in ("ok", "eager", "unknown")
    ]
    if broker not in ("ok", "eager"):
        problems.insert(0, "broker")
    if facts["database"] != "ok":
        answer["status"] = "down"
        return JsonResponse(answer, status=503)
    answer["problems"] = problems
    return JsonResponse(answer)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    # Raised outside a view (the session or user middleware reading the database).
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return render(
        request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500
    )


@require_GET
def favicon(request):
    """``/favicon.ico``, asked for by browsers on pages without a ``<link rel="icon">``
    (the error pages): the site's icon instead of a 404."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
