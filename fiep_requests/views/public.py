"""Pages for the people asking, without login: the form, the status and consent pages."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep import ratelimit
from fiep.calls import call_service
from fiep.services import access_log_record, client_ip
from fiep.tokens import is_wellformed

from .. import services
from ..extensions import status_page_sections
from ..forms import ConsentForm, RequestForm, WithdrawForm
from ..models import FacilitationRequest, Requester, Submission
from ..rules import awaits_consent_answer, can_be_withdrawn
from ..selectors import family_step, private_link_retired

#: The confirmation page's case: a signed cookie of this browser (no session row to write
#: on the public form's busiest path). Signed with the site's key: it cannot be forged.
SUBMITTED_COOKIE = "fiep_requests_submitted"


def submitted_cookie_value(pk):
    """The signed value the confirmation page accepts for submission ``pk`` (as
    ``set_signed_cookie`` writes it; tests and the access matrix use it)."""
    return signing.get_cookie_signer(salt=SUBMITTED_COOKIE + SUBMITTED_COOKIE).sign(str(pk))


@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request):
    """The public request form. Over the hourly limit per address: 429."""
    form = RequestForm(
        request.POST or None,
        initial={"parent_language": _page_language(request)},
    )
    if request.method == "POST":
        if form.is_spam:
            # Look like success to the bot; store nothing.
            ratelimit.allow(request, scope="request-form")
            return render(request, "fiep_requests/request_spam.html")
        if form.is_valid():
            if not ratelimit.allow(request, scope="request-form"):
                # Keep what was typed: the person can send it later or call the office.
                return ratelimit.too_many(
                    request, "fiep_requests/request_new.html", {"form": form, "rate_limited": True}
                )
            data = form.submission_data()
            if data.get("requested_by") in (Requester.DISTRICT, Requester.JOINT):
                # The district contact filled the form: their pages and e-mails follow
                # the language they used.
                data["district_contact_language"] = _page_language(request)
            # Accepted here (the tracking number and one row); the worker files it.
            submission = services.request_accept(
                data=data,
                ip=client_ip(request),
                submission_token=form.cleaned_data.get("submission_token") or None,
            )
            response = redirect("fiep_requests:submitted")
            response.set_signed_cookie(
                SUBMITTED_COOKIE,
                str(submission.pk),
                salt=SUBMITTED_COOKIE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(request, "fiep_requests/request_new.html", {"form": form})


@never_cache
def request_submitted(request):
    """The confirmation page: tracking number and the private status link (both taken
    when the form was accepted, so the page does not wait for the filing)."""
    pk = request.get_signed_cookie(
        SUBMITTED_COOKIE, default="0", salt=SUBMITTED_COOKIE, max_age=settings.SESSION_COOKIE_AGE
    )
    # nosemgrep: unscoped-object-lookup-in-view  (the id is the submitter's signed cookie)
    submission = get_object_or_404(Submission, pk=int(pk) if pk.isdigit() else 0)
    return render(
        request,
        "fiep_requests/request_submitted.html",
        {
            "reference": submission.reference,
            "joint": submission.joint,
            "status_url": services.status_url(submission),
        },
    )


def _page_language(request):
    return "es" if request.LANGUAGE_CODE.startswith("es") else "en"


def _speak(request, language):
    """Show a private-link page in its recipient's stored language, unless they chose one
    on the site (the language cookie). With no stored language the page keeps the
    browser's language (LocaleMiddleware already read Accept-Language)."""
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _withdrawable(case):
    """The requester may withdraw while ``TRANSITIONS`` allows it (the staff action's
    state predicate, without the staff role)."""
    return can_be_withdrawn.test(None, case)


@never_cache
@ratelimit.rate_limit("status")
@require_http_methods(["GET", "POST"])
def request_status(request, token):
    """The requester's private page: the current step in plain words, the meeting and the
    shared summary (other apps' sections, only while the link is not retired), history,
    and withdrawing (POST)."""
    if not is_wellformed(token):
        raise Http404
    # nosemgrep: unscoped-object-lookup-in-view  (the unguessable token is the credential)
    case = FacilitationRequest.objects.filter(status_token=token, imported=False).first()
    if case is None:
        return _request_filing(request, token)
    _speak(request, services.requester_parties(case)[0]["stored_language"])
    retired = private_link_retired(case)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and _withdrawable(case) and form.is_valid():
        ok, _case = call_service(
            form, services.request_withdraw, request=case, reason=form.cleaned_data["reason"]
        )
        if ok:
            return redirect("fiep_requests:status", token=token)
    return render(
        request,
        "fiep_requests/request_status.html",
        {
            "case": case,
            "history": case.status_changes.all(),
            "withdraw_form": form if _withdrawable(case) else None,
            "retired": retired,
            "step": family_step(case),
            # A retired link names no child: no meeting, no summary (private_link_retired).
            "sections": [] if retired else status_page_sections.collect(case=case),
        },
    )


def _request_filing(request, token):
    """The status link of a request accepted but not filed yet (seconds after the form,
    longer while the worker is down): its tracking number, and that it is on its way."""
    # nosemgrep: unscoped-object-lookup-in-view  (the unguessable token is the credential)
    submission = get_object_or_404(Submission, status_token=token, request__isnull=True)
    data = submission.data
    by_district = data.get("requested_by") == Requester.DISTRICT
    _speak(
        request,
        data.get("district_contact_language" if by_district else "parent_language") or "en",
    )
    return render(request, "fiep_requests/request_filing.html", {"reference": submission.reference})


@never_cache
@ratelimit.rate_limit("consent")
@require_http_methods(["GET", "POST"])
def consent(request, token):
    """The other party's page: agree or decline, in their language."""
    if not is_wellformed(token):
        raise Http404
    # nosemgrep: unscoped-object-lookup-in-view  (the unguessable token is the credential)
    case = get_object_or_404(FacilitationRequest, consent_token=token, imported=False)
    # The page names the student to whoever holds the link: keep a record of each view.
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Consent page opened through the other party's link",
        obj=case,
        request=request,
    )
    party = services.other_party(case)
    if party:
        _speak(request, party["stored_language"])
    retired = private_link_retired(case)
    pending = awaits_consent_answer.test(None, case) and not retired
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and pending and form.is_valid():
        ok, answered = call_service(
            form,
            services.consent_respond,
            token=token,
            agree=form.cleaned_data["answer"] == "agree",
            reason=form.cleaned_data["reason"],
            signed_name=form.cleaned_data["full_name"],
            ip=client_ip(request),
        )
        if ok:
            return render(request, "fiep_requests/consent_done.html", {"case": answered})
    return render(
        request,
        "fiep_requests/consent.html",
        {"case": case, "form": form if pending else None, "retired": retired},
    )
