"""The survey pages a participant (or the facilitator) reaches from a personal link.

No login: the unguessable token is the key. The page speaks the invitation's language
unless the visitor chose one with the language switch (the language cookie).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fiep.calls import call_service
from fiep.models import Language
from fiep.ratelimit import rate_limit

from .. import follow_ups, selectors, services
from ..forms import FollowUpForm, SelfEvaluationForm, SurveyForm


def _limited(scope):
    # A survey link counts every request: a link is one GET per person, guessing is many.
    return rate_limit(
        scope,
        setting="FIEP_EVALUATION_RATE_LIMIT_PER_HOUR",
        methods=None,
        template="evaluations/rate_limited.html",
    )


def _language_for(request, invitation):
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in Language.values:
        return chosen
    return invitation.language if invitation.language in Language.values else "en"


def _render(request, template, context, *, language, status=200):
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


def _closed(request, link, *, language, kind="survey"):
    state = services.invitation_state(link)
    return _render(
        request,
        "evaluations/survey_closed.html",
        {"state": state, "link": link, "kind": kind},
        language=language,
        status=410,
    )


def _link_page(request, link, *, kind, form_class, template, submit, thanks, form_kwargs=None):
    """One personal-link page: closed → kind 410 page; GET → the form; valid POST →
    ``submit(link, answers, language)`` then the thank-you page (PRG).
    """
    if link is None:
        raise Http404
    language = _language_for(request, link)
    if services.invitation_state(link) != "open":
        return _closed(request, link, language=language, kind=kind)
    with translation.override(language):
        form = form_class(
            request.POST if request.method == "POST" else None,
            **(form_kwargs(link) if form_kwargs else {}),
        )
        if request.method == "POST" and form.is_valid():
            ok, refusal = call_service(form, submit, link, form.answers(), language)
            if ok:
                # The thank-you page speaks the survey's language (no token in its URL).
                return redirect(f"{reverse(thanks)}?lang={language}")
            if isinstance(refusal, services.InvitationUnavailable):
                return _closed(request, link, language=language, kind=kind)
    return _render(
        request, template, {"form": form, "link": link, "meeting": link.meeting}, language=language
    )


@never_cache
@_limited("survey")
@require_http_methods(["GET", "POST"])
def survey(request, token):
    return _link_page(
        request,
        selectors.invitation_for_token(token),
        kind="survey",
        form_class=SurveyForm,
        form_kwargs=lambda link: {"known_role": link.role},
        template="evaluations/survey.html",
        submit=lambda link, answers, language: services.evaluation_submit(
            invitation=link, answers=answers, language=language
        ),
        thanks="evaluations:thanks",
    )


@require_GET
def thanks(request):
    return _thanks(request, "survey")


def _thanks(request, kind):
    # As on the survey: a language chosen with the switch wins, then the survey's own.
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in Language.values:
        language = request.GET.get("lang")
    if language not in Language.values:
        language = translation.get_language()
    return _render(request, "evaluations/thanks.html", {"kind": kind}, language=language)


@never_cache
@_limited("self-evaluation")
@require_http_methods(["GET", "POST"])
def self_evaluation(request, token):
    return _link_page(
        request,
        selectors.self_evaluation_for_token(token),
        kind="self",
        form_class=SelfEvaluationForm,
        template="evaluations/self_evaluation.html",
        submit=lambda link, answers, language: services.self_evaluation_submit(
            self_evaluation=link, answers=answers
        ),
        thanks="evaluations:self-thanks",
    )


@require_GET
def self_thanks(request):
    return _thanks(request, "self")


@never_cache
@_limited("follow-up")
@require_http_methods(["GET", "POST"])
def follow_up(request, token):
    return _link_page(
        request,
        selectors.follow_up_for_token(token),
        kind="follow_up",
        form_class=FollowUpForm,
        template="evaluations/follow_up.html",
        submit=lambda link, answers, language: follow_ups.follow_up_submit(
            follow_up=link, answers=answers
        ),
        thanks="evaluations:thanks",
    )
