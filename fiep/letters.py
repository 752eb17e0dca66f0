"""Paper letters to parties without an e-mail address, and the print batch.

:func:`fiep.notifications.notify` writes a :class:`~fiep.models.Letter` (through
:func:`letter_write`) when the recipient has a postal address but no e-mail address.
Letters wait in the print batch: staff make a batch of every waiting letter, download it
as one PDF (each letter on its own pages, the address placed for a window envelope) and
mark the batch mailed. Links in letters are printed as short links (``/go/<code>/``)
beside the office's phone number.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .branding import branding_context
from .models import Letter, PrintBatch, ShortLink

#: Crockford's base32: no I, L, O or U, so a code read from paper is never ambiguous.
SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_LENGTH = 10
#: Context values that are links longer than this are printed as short links.
LONG_LINK = 40


def short_code_normalise(code):
    """The stored form of a code as a person may type it: capitals, no dashes or
    spaces, and the letters people confuse with digits read as those digits."""
    code = "".join(code.split()).replace("-", "").upper()
    return code.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def short_url(url):
    """A short link (``SITE_URL/go/XXXXX-XXXXX/``) for ``url``, a link of this site.

    The same ``url`` always gets the same code. Side effects: at most one ShortLink row.
    """
    link = ShortLink.objects.filter(target=url).first()
    while link is None:
        code = "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))
        try:
            with transaction.atomic():
                link = ShortLink.objects.create(code=code, target=url)
        except IntegrityError:  # the same target at the same moment, or a taken code
            link = ShortLink.objects.filter(target=url).first()
    half = SHORT_LENGTH // 2
    printed = f"{link.code[:half]}-{link.code[half:]}"
    return settings.SITE_URL + reverse("short-link", args=[printed])


def short_links(context):
    """``context`` with every long link of this site replaced by its short link."""
    prefix = settings.SITE_URL.rstrip("/") + "/"
    return {
        key: short_url(value)
        if isinstance(value, str) and value.startswith(prefix) and len(value) > LONG_LINK
        else value
        for key, value in context.items()
    }


def letter_write(
    *,
    event,
    render,
    to_name,
    to_address,
    language,
    context,
    dedupe_key,
    case_reference="",
    related=None,
    enclosure_html="",
):
    """Queue one letter (called by ``notify``; ``render(context)`` gives the wording).

    Calling twice with the same ``dedupe_key`` writes one letter (insert-or-ignore inside
    a savepoint, as the outbox does). Side effects: one Letter waiting in the print batch.
    """
    existing = Letter.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    subject, text, _html = render({**short_links(context), "letter": True})
    try:
        with transaction.atomic():
            return Letter.objects.create(
                event=event,
                dedupe_key=dedupe_key,
                recipient_name=to_name[:200],
                recipient_address=to_address.strip(),
                language=language,
                subject=subject[:300],
                body_text=text.strip(),
                enclosure_html=enclosure_html,
                case_reference=case_reference,
                content_type=(
                    ContentType.objects.get_for_model(related) if related is not None else None
                ),
                object_id=str(related.pk) if related is not None else "",
            )
    except IntegrityError:
        return Letter.objects.get(dedupe_key=dedupe_key)


def waiting_letters():
    """Letters not yet printed in a batch (and not cancelled)."""
    return Letter.objects.filter(batch__isnull=True, mailed_at__isnull=True, cancelled=False)


def batch_create(*, by):
    """Put every waiting letter into a new print batch.

    The waiting letters are locked (``select_for_update``), so two people printing at
    once never put one letter into two batches; the second finds none left. Returns the
    batch, or None when no letter was waiting. Side effects: one PrintBatch; the letters'
    ``batch``.
    """
    with transaction.atomic():
        ids = list(waiting_letters().select_for_update().values_list("pk", flat=True))
        if not ids:
            return None
        batch = PrintBatch.objects.create(created_by=by)
        Letter.objects.filter(pk__in=ids, batch__isnull=True).update(batch=batch)
    return batch


def batch_mark_mailed(*, batch, by):
    """Record that the letters of ``batch`` are in the post.

    Idempotent: the batch row is locked and a batch already mailed is left as it was
    (returns False). Side effects: ``mailed_at``/``mailed_by`` on the batch and
    ``mailed_at`` on its letters. Returns True when this call marked it.
    """
    with transaction.atomic():
        locked = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.mailed_at is not None:
            return False
        now = timezone.now()
        locked.mailed_at = now
        locked.mailed_by = by if getattr(by, "is_authenticated", False) else None
        locked.save(update_fields=["mailed_at", "mailed_by"])
        locked.letters.filter(mailed_at__isnull=True, cancelled=False).update(mailed_at=now)
    batch.mailed_at, batch.mailed_by = locked.mailed_at, locked.mailed_by
    return True


def _paragraphs(text):
    """The body as paragraphs: blank lines separate them, single breaks stay."""
    paragraphs = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line.strip() != "--"]
        if lines:
            paragraphs.append(lines)
    return paragraphs


def letters_pdf(letters, *, title):
    """One tagged PDF (PDF/UA) of ``letters``, each starting on a new page with the
    office's return address and the recipient's address placed for a window envelope,
    in the letter's own language. Returns ``(filename, mimetype, bytes)``."""
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads only when a PDF is made

    items = []
    for letter in letters:
        with translation.override(letter.language):
            items.append(
                render_to_string(
                    "fiep/letters/_letter.html",
                    {
                        **branding_context(),
                        "letter": letter,
                        "address_lines": letter.recipient_address.splitlines(),
                        "office_lines": settings.FIEP_OFFICE_MAILING_ADDRESS.split("|"),
                        "paragraphs": _paragraphs(letter.body_text),
                        "date": timezone.localdate(letter.created_at),
                    },
                )
            )
    language = letters[0].language if letters else settings.LANGUAGE_CODE[:2]
    html = render_to_string(
        "fiep/letters/letters.html", {"items": items, "title": title, "language": language}
    )
    content = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return "letters.pdf", "application/pdf", content
