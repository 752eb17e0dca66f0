"""Messages the outbox could not deliver: listed for staff, who can send them again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import OutboxMessage, OutboxStatus
from .paging import paginate, query_without_paging
from .services import outbox_resend


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def undelivered(request):
    """GET: every message given up on after its last try. POST: resend the chosen ones
    (``message`` ids) or all of them (``all``)."""
    if not request.user.has_perm("fiep.view_outbox"):
        raise PermissionDenied
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).order_by("created_at")
    if request.method == "POST":
        if request.POST.get("all"):
            ids = list(failed.values_list("pk", flat=True))
        else:
            ids = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
        count = outbox_resend(message_ids=ids, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s message will be sent again.",
                "%(count)s messages will be sent again.",
                count,
            )
            % {"count": count},
        )
        return redirect("outbox-undelivered")
    page = paginate(
        request,
        failed.only(
            "pk",
            "event",
            "recipient_email",
            "subject",
            "attempts",
            "last_error",
            "created_at",
            "case_reference",
        ),
        per_page=50,
    )
    return render(
        request,
        "fiep/outbox_undelivered.html",
        {
            "page": page,
            "query": query_without_paging(request),
            "title": _("Messages not delivered"),
        },
    )
