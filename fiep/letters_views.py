"""The print batch (letters to parties without e-mail) and the short links they print."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import ratelimit
from .letters import batch_create, batch_mark_mailed, letters_pdf, short_code_normalise
from .models import AccessAction, Letter, PrintBatch, ShortLink
from .services import access_log_record

LETTER_FIELDS = (
    "pk",
    "event",
    "recipient_name",
    "language",
    "case_reference",
    "created_at",
    "mailed_at",
    "batch_id",
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("fiep.print_letters", raise_exception=True)
def print_queue(request):
    """GET: the letters waiting to be printed and the batches not yet mailed.
    POST: put every waiting letter into a new batch, then show that batch."""
    if request.method == "POST":
        batch = batch_create(by=request.user)
        if batch is None:
            messages.info(request, _("No letters are waiting to be printed."))
            return redirect("letters")
        return redirect("letters-batch", pk=batch.pk)
    waiting = Letter.objects.filter(
        batch__isnull=True, mailed_at__isnull=True, cancelled=False
    ).only(*LETTER_FIELDS)
    batches = Paginator(
        PrintBatch.objects.select_related("created_by", "mailed_by").order_by(
            "mailed_at", "-created_at", "-id"
        ),
        25,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "fiep/letters/queue.html",
        {"waiting": list(waiting), "batches": batches},
    )


def _batch(pk):
    # nosemgrep: unscoped-object-lookup-in-view  (print batches are staff-wide, like the outbox)
    return get_object_or_404(PrintBatch.objects.select_related("created_by", "mailed_by"), pk=pk)


@never_cache
@login_required
@require_GET
@permission_required("fiep.print_letters", raise_exception=True)
def batch_detail(request, pk):
    """One print batch: its letters, the PDF to print and "mark mailed"."""
    batch = _batch(pk)
    return render(
        request,
        "fiep/letters/batch.html",
        {"batch": batch, "letters": batch.letters.only(*LETTER_FIELDS)},
    )


def _pdf_response(request, letters, *, title, filename, purpose):
    # The letters name the student: one access-log row per case before anything is shown.
    for reference in sorted({letter.case_reference for letter in letters if letter.case_reference}):
        first = next(letter for letter in letters if letter.case_reference == reference)
        access_log_record(
            user=request.user,
            case_reference=reference,
            purpose=purpose,
            action=AccessAction.PRINT,
            obj=first,
            request=request,
        )
    _name, mimetype, content = letters_pdf(letters, title=title)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_GET
@permission_required("fiep.print_letters", raise_exception=True)
def batch_pdf(request, pk):
    """The batch as one PDF (access-logged per case)."""
    batch = _batch(pk)
    letters = list(batch.letters.filter(cancelled=False))
    if not letters:
        raise Http404
    return _pdf_response(
        request,
        letters,
        title=_("Letters, print batch %(number)s") % {"number": batch.pk},
        filename=f"fiep-letters-batch-{batch.pk}.pdf",
        purpose="Print batch PDF (letters)",
    )


@never_cache
@login_required
@require_POST
@permission_required("fiep.print_letters", raise_exception=True)
def batch_mailed(request, pk):
    """Mark the batch mailed (a second click changes nothing)."""
    batch = _batch(pk)
    if batch_mark_mailed(batch=batch, by=request.user):
        messages.success(request, _("The letters of this batch are marked mailed."))
    else:
        messages.info(request, _("This batch was already marked mailed."))
    return redirect("letters-batch", pk=batch.pk)


@never_cache
@login_required
@require_GET
@permission_required("fiep.print_letters", raise_exception=True)
def letter_pdf(request, pk):
    """One letter as a PDF (to look at or print again), access-logged."""
    # nosemgrep: unscoped-object-lookup-in-view  (letters are staff-wide, like the outbox)
    letter = get_object_or_404(Letter, pk=pk, cancelled=False)
    return _pdf_response(
        request,
        [letter],
        title=letter.subject,
        filename=f"fiep-letter-{letter.pk}.pdf",
        purpose="Letter PDF",
    )


@never_cache
@ratelimit.rate_limit(
    "short-link", setting="FIEP_EVALUATION_RATE_LIMIT_PER_HOUR", methods=None, template=None
)
@require_GET
def short_link(request, code):
    """A short link printed in a letter: on to the page it stands for (404 if unknown)."""
    # nosemgrep: unscoped-object-lookup-in-view  (the code is the credential, like a token)
    link = ShortLink.objects.filter(code=short_code_normalise(code)).first()
    if link is None or not link.target.startswith("http"):
        raise Http404
    return redirect(link.target)
