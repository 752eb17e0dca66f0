"""The parties' date-poll page, reached through the private link of their e-mail."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.calls import call_service
from fiep.ratelimit import rate_limit
from fiep.services import access_log_record
from fiep.tokens import is_wellformed
from fiep_requests.selectors import private_link_retired

from .. import services
from ..clock import local_zone
from ..forms import DatePollAnswerForm
from ..models import DatePollParty, DatePollState


def _time_label(option):
    """“Tuesday, December 8, 2026, 9:30 a.m. – 11:00 a.m.” in the page's language."""
    zone = local_zone()
    starts = timezone.localtime(option.starts_at, zone)
    ends = timezone.localtime(option.ends_at, zone)
    return "{}, {}, {} – {}".format(
        date_format(starts, "l"),
        date_format(starts, "DATE_FORMAT"),
        time_format(starts, "TIME_FORMAT"),
        time_format(ends, "TIME_FORMAT"),
    )


def _closed_message(poll):
    if poll.state == DatePollState.REPLACED:
        return _(
            "This poll is closed: the facilitator has proposed new times. Please answer "
            "with the link in the newest e-mail."
        )
    if poll.state == DatePollState.SCHEDULED or poll.request.status == "scheduled":
        return _(
            "This poll is closed: a time has been chosen. You will receive (or have "
            "received) the meeting invitation by e-mail."
        )
    return _("This poll is closed: it no longer takes answers. The office can help you.")


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("date-poll", setting="FIEP_DATE_POLL_RATE_LIMIT_PER_HOUR")
def answer(request, token):
    """Each proposed time: yes, if need be, or no; in the party's language."""
    if not is_wellformed(token):
        raise Http404
    # nosemgrep: unscoped-object-lookup-in-view  (the unguessable token is the credential)
    party = get_object_or_404(DatePollParty.objects.select_related("poll__request"), token=token)
    poll, case = party.poll, party.poll.request
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Date poll opened through a party's link",
        obj=case,
        request=request,
    )
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(party.language)
        request.LANGUAGE_CODE = party.language
    is_open = services.date_poll_is_open(poll)
    options = list(poll.options.order_by("starts_at", "id"))
    labels = {option.pk: _time_label(option) for option in options}
    given = {a.option_id: a.answer for a in party.answers.all()}
    form = None
    saved = False
    if is_open:
        form = DatePollAnswerForm(
            request.POST if request.method == "POST" else None,
            options=options,
            labels=labels,
            initial={f"option_{k}": v for k, v in given.items()},
        )
        if request.method == "POST" and form.is_valid():
            ok, _party = call_service(
                form, services.date_poll_answer, party=party, answers=form.answers()
            )
            saved = ok
    return render(
        request,
        "meetings/date_poll_answer.html",
        {
            "case": case,
            "poll": poll,
            "party": party,
            "form": form,
            "saved": saved,
            "closed_message": None if is_open else _closed_message(poll),
            # A forwarded or leaked link names no child once the case has ended.
            "show_student": is_open and not private_link_retired(case),
            "facilitator": poll.request.assignments.filter(status="accepted")
            .select_related("facilitator")
            .first(),
        },
    )
