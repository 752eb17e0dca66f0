"""Letters to parties without e-mail: ``notify`` writes them, the print batch prints and
mails them, short links stand for the long private links, the PDF is tagged and EN/ES."""

import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fiep.letters import (
    batch_create,
    batch_mark_mailed,
    letters_pdf,
    short_code_normalise,
    short_url,
)
from fiep.models import AccessAction, AccessLog, Letter, OutboxMessage, PrintBatch
from fiep.notifications import Event, notify, render_message
from fiep_requests import services
from fiep_requests.models import RequestStatus
from fiep_requests.retention import destruction_request
from tests.factories import (
    DistrictFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    liaison_user,
    staff_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ADDRESS = "12 Elm Street\nSpringfield, MO 65801"


def _letter(**overrides):
    values = {
        "event": Event.REQUEST_APPROVED,
        "to_email": "",
        "to_address": ADDRESS,
        "to_name": "Rosa Ejemplo",
        "language": "en",
        "context": {"name": "Rosa Ejemplo", "reference": "FIEP-2026-0042", "student_name": "Lu"},
        "dedupe_key": "approved:FIEP-2026-0042:parent",
        "case_reference": "FIEP-2026-0042",
    }
    values.update(overrides)
    return notify(**values)


def _pdf_text(data):
    pages = PdfReader(io.BytesIO(data)).pages
    return [" ".join(page.extract_text().split()) for page in pages]


def test_notify_writes_a_letter_instead_of_an_email_when_there_is_only_an_address():
    letter = _letter()
    assert isinstance(letter, Letter)
    assert OutboxMessage.objects.count() == 0
    assert letter.recipient_address == ADDRESS
    assert letter.subject == "Facilitated IEP request FIEP-2026-0042 approved"
    assert "has been approved" in letter.body_text  # the e-mail's wording (no letter one)
    assert _letter() == letter  # the same dedupe key writes once
    assert Letter.objects.count() == 1


def test_notify_with_neither_email_nor_address_writes_nothing():
    assert _letter(to_address="  \n ") is None
    assert Letter.objects.count() == OutboxMessage.objects.count() == 0


def test_notify_with_an_email_still_sends_an_email_even_with_an_address():
    message = _letter(to_email="rosa@example.org")
    assert isinstance(message, OutboxMessage)
    assert Letter.objects.count() == 0


def test_render_message_letter_channel_prefers_the_letter_templates():
    context = {"name": "Ana", "consent_url": "https://x.example/go/ABCDE-FGHJK/"}
    context |= {"reference": "R-1", "student_name": "Lu", "school_name": "S", "district_name": "D"}
    _s, email_text, email_html = render_message(
        event=Event.CONSENT_REQUESTED, language="en", context=context
    )
    subject, letter_text, letter_html = render_message(
        event=Event.CONSENT_REQUESTED, language="en", context=context, channel="letter"
    )
    assert letter_html == "" and email_html
    assert "reply on the last page" in letter_text and "reply on the last page" not in email_text
    assert subject == "Do you agree to a facilitated IEP meeting? (R-1)"  # the e-mail's subject
    _s, spanish, _h = render_message(
        event=Event.CONSENT_REQUESTED, language="es", context=context, channel="letter"
    )
    assert "llame a la oficina" in spanish.lower() or "llamar a la oficina" in spanish.lower()


def test_short_links_are_stable_and_resolve(client, settings):
    case = FacilitationRequestFactory(status=RequestStatus.AWAITING_CONSENT)
    target = services.consent_url(case)
    url = short_url(target)
    assert url == short_url(target)
    assert url.startswith(settings.SITE_URL + "/go/") and len(url) < len(target)
    path = url[len(settings.SITE_URL) :]
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == target
    # Typed from paper: small letters, no dash, an O for a zero all still work.
    code = path.split("/")[2]
    sloppy = code.replace("-", "").lower().replace("0", "o")
    assert client.get(f"/go/{sloppy}/")["Location"] == target


@pytest.mark.parametrize("near_miss", ["flip-last", "short", "empty-ish"])
def test_short_link_near_misses_are_404(client, near_miss):
    case = FacilitationRequestFactory(status=RequestStatus.AWAITING_CONSENT)
    code = short_url(services.consent_url(case)).rstrip("/").rsplit("/", 1)[1]
    bad = {
        "flip-last": code[:-1] + ("A" if code[-1] != "A" else "B"),
        "short": code[:-1],
        "empty-ish": "-----",
    }[near_miss]
    assert client.get(f"/go/{bad}/").status_code == 404


def test_short_code_normalise_reads_confusable_letters():
    assert short_code_normalise(" ab1o-il2 ") == "AB10112"


def test_letters_pdf_one_letter_per_page_group_in_each_language(tmp_path):
    english = _letter()
    spanish = _letter(language="es", to_name="José Pérez", dedupe_key="approved:es")
    _name, mimetype, data = letters_pdf([english, spanish], title="Letters")
    assert mimetype == "application/pdf"
    pages = _pdf_text(data)
    assert len(pages) == 2  # each letter starts on a new page
    assert "Rosa Ejemplo" in pages[0] and "12 Elm Street" in pages[0]
    assert "José Pérez" in pages[1] and "aprobada" in pages[1]
    assert "has been approved" not in pages[1]
    assert "(555)" in pages[1] or "Llame" in pages[1]  # the office's phone for help
    path = tmp_path / "letters.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Tagged"].strip() == "yes" and fields["Title"].strip() == "Letters"
    layout = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Springfield, MO 65801" in layout


def test_batch_create_takes_every_waiting_letter_once():
    staff = staff_user()
    first, second = _letter(), _letter(dedupe_key="other")
    batch = batch_create(by=staff)
    assert set(batch.letters.all()) == {first, second}
    assert batch_create(by=staff) is None  # nothing left waiting
    third = _letter(dedupe_key="third")
    assert list(batch_create(by=staff).letters.all()) == [third]


def test_batch_mark_mailed_is_idempotent():
    staff = staff_user()
    _letter()
    batch = batch_create(by=staff)
    assert batch_mark_mailed(batch=batch, by=staff) is True
    mailed_at = PrintBatch.objects.get().mailed_at
    assert batch_mark_mailed(batch=batch, by=staff_user()) is False
    batch.refresh_from_db()
    assert batch.mailed_at == mailed_at and batch.mailed_by == staff
    assert list(Letter.objects.values_list("mailed_at", flat=True)) == [mailed_at]


@pytest.mark.parametrize("who", ["facilitator", "liaison"])
def test_print_batch_pages_are_staff_only(client, who):
    _letter()
    batch = batch_create(by=staff_user())
    user = FacilitatorFactory(with_user=True).user if who == "facilitator" else None
    user = user or liaison_user(DistrictFactory())
    client.force_login(user)
    for url in (
        reverse("letters"),
        reverse("letters-batch", args=[batch.pk]),
        reverse("letters-pdf", args=[batch.pk]),
        reverse("letter-pdf", args=[batch.letters.get().pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("letters-mailed", args=[batch.pk])).status_code == 403
    assert client.post(reverse("letters")).status_code == 403
    assert PrintBatch.objects.get().mailed_at is None


def test_print_batch_anonymous_goes_to_log_in(client):
    response = client.get(reverse("letters"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_print_batch_flow_for_staff_access_logs_the_pdf(client):
    staff = staff_user()
    client.force_login(staff)
    a = _letter(case_reference="FIEP-2026-0001", dedupe_key="a")
    _letter(case_reference="FIEP-2026-0001", dedupe_key="b")
    _letter(case_reference="FIEP-2026-0002", dedupe_key="c")
    page = client.get(reverse("letters")).content.decode()
    assert "3 letters waiting to be printed" in page
    response = client.post(reverse("letters"))
    batch = PrintBatch.objects.get()
    assert response["Location"] == reverse("letters-batch", args=[batch.pk])
    assert "Not yet mailed" in client.get(response["Location"]).content.decode()
    assert AccessLog.objects.count() == 0
    pdf = client.get(reverse("letters-pdf", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(_pdf_text(pdf.content)) == 3
    logged = AccessLog.objects.filter(action=AccessAction.PRINT)
    assert sorted(logged.values_list("case_reference", flat=True)) == [
        "FIEP-2026-0001",
        "FIEP-2026-0002",
    ]
    client.post(reverse("letters-mailed", args=[batch.pk]))
    a.refresh_from_db()
    assert a.mailed_at is not None
    again = client.post(reverse("letters-mailed", args=[batch.pk]), follow=True)
    assert "already marked mailed" in again.content.decode()
    assert "No letters are waiting" in client.get(reverse("letters")).content.decode()


def test_an_empty_queue_makes_no_batch(client):
    client.force_login(staff_user())
    response = client.post(reverse("letters"), follow=True)
    assert "No letters are waiting to be printed." in response.content.decode()
    assert PrintBatch.objects.count() == 0


def test_print_queue_query_count_does_not_grow(client, query_guard):
    staff = staff_user()
    client.force_login(staff)
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            number = next(counter)
            _letter(dedupe_key=f"k{number}", case_reference=f"FIEP-2026-{number:04d}")
            if number % 2 == 0:
                batch_create(by=staff)

    query_guard(9, lambda: client.get(reverse("letters")), add=add, many=6)


def test_purge_cancels_unmailed_letters_and_blanks_them():
    case = FacilitationRequestFactory(
        status=RequestStatus.WITHDRAWN, parent_email="", parent_address=ADDRESS
    )
    _letter(case_reference=case.reference)
    destruction_request(request=case, by=staff_user())
    case.refresh_from_db()
    assert case.parent_address == ""
    letter = Letter.objects.get()
    assert letter.cancelled
    assert (letter.recipient_name, letter.recipient_address, letter.body_text) == ("", "", "")
    assert batch_create(by=staff_user()) is None
