"""The wording editor: administrators change the subject and text of every message, per
channel and language, preview it, reset it to the default and read its history."""

import difflib
import re
import types

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services, wording
from .calls import call_service
from .forms import WordingForm
from .models import Language, MessageChannel, MessageWording
from .notifications import Event, render_message
from .placeholders import EVENT_TITLES, example_context, placeholders_for
from .signals import wording_preview_context

PERMISSION = "fiep.change_messagewording"


def _message_or_404(event, channel, language):
    if (
        event not in Event.values
        or channel not in MessageChannel.values
        or language not in Language.values
        or not wording.has_default(event=event, channel=channel)
    ):
        raise Http404
    return {
        "event": event,
        "channel": channel,
        "language": language,
        "title": EVENT_TITLES[event],
        "channel_label": MessageChannel(channel).label,
        "language_label": Language(language).label,
    }


@never_cache
@login_required
@require_GET
@permission_required(PERMISSION, raise_exception=True)
def wording_list(request):
    """Every message with one column per language: edited (when, by whom) or default."""
    edited = {
        (w.event, w.channel, w.language): w
        for w in MessageWording.objects.select_related("updated_by").only(
            "event",
            "channel",
            "language",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
        )
    }
    rows = []
    for channel in MessageChannel.values:
        for event in Event.values:
            if not wording.has_default(event=event, channel=channel):
                continue
            rows.append(
                {
                    "event": event,
                    "channel": channel,
                    "channel_label": MessageChannel(channel).label,
                    "title": EVENT_TITLES[event],
                    "cells": [
                        (language, edited.get((event, channel, language)))
                        for language in Language.values
                    ],
                }
            )
    return render(
        request,
        "fiep/wording_list.html",
        {"rows": rows, "languages": Language.choices, "title": _("Wording of messages")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION, raise_exception=True)
def wording_edit(request, event, channel, language):
    """GET: the current text (the edited one, else the default written as editable text).
    POST ``action=preview``: the message built from the example values; ``action=save``:
    store it."""
    message = _message_or_404(event, channel, language)
    current = wording.wording_for(event=event, channel=channel, language=language)
    preview = None
    if request.method == "POST":
        form = WordingForm(request.POST, event=event, language=language)
        if form.is_valid():
            if request.POST.get("action") == "save":
                ok, _saved = call_service(
                    form,
                    services.wording_save,
                    event=event,
                    channel=channel,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
                if ok:
                    messages.success(
                        request, _("The new wording is saved: the next messages use it.")
                    )
                    return redirect("wording-edit", event, channel, language)
            else:
                preview = _preview(request, form, event, channel, language)
    else:
        if current is not None:
            initial = {"subject": current.subject, "body": current.body}
        else:
            subject, body = wording.default_source(event=event, channel=channel, language=language)
            initial = {"subject": subject, "body": body}
        form = WordingForm(initial=initial, event=event, language=language)
    return render(
        request,
        "fiep/wording_edit.html",
        {
            **message,
            "form": form,
            "current": current,
            "editor": _person(current.updated_by) if current else "",
            "preview": preview,
            "placeholders": placeholders_for(event).values(),
        },
    )


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else "—"


def _preview(request, form, event, channel, language):
    """The message as a reader of ``language`` would get it: from the fictional example
    values, or from the case named in ``preview_case`` (in the user's scope; the apps that
    know the message give its values and record the look in the access log). None, with
    the form's error, when that case cannot be used."""
    data = form.cleaned_data
    context = example_context(event)
    reference = data.get("preview_case", "").strip()
    if reference:
        try:
            found = wording_preview_context.collect(
                event=event,
                case_reference=reference,
                user=request.user,
                language=language,
                request=request,
            )
        except Http404:
            form.add_error(
                "preview_case", _("There is no case with this tracking number that you may see.")
            )
            return None
        if not found:
            form.add_error(
                "preview_case",
                _(
                    "This message cannot be shown on that case: it is not about a case, or "
                    "the case does not have what it needs yet (a facilitator, a meeting)."
                ),
            )
            return None
        context = {**context, **found[0]}
    subject, text, html = render_message(
        event=event,
        language=language,
        context=context,
        channel=channel,
        wording=types.SimpleNamespace(subject=data["subject"], body=data["body"]),
    )
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    # Shown inside the page: the e-mail's inline styles would break its style policy.
    fragment = re.sub(r'\sstyle="[^"]*"', "", body.group(1) if body else "")
    case = context["reference"] if reference else ""
    return {"subject": subject, "text": text, "html": fragment, "case": case}


@never_cache
@login_required
@require_POST
@permission_required(PERMISSION, raise_exception=True)
def wording_reset(request, event, channel, language):
    """Go back to the default text (the history keeps the edited one)."""
    _message_or_404(event, channel, language)
    ok, deleted = call_service(
        request,
        services.wording_reset,
        event=event,
        channel=channel,
        language=language,
        by=request.user,
    )
    if ok:
        if deleted:
            messages.success(request, _("The message uses the default text again."))
        else:
            messages.info(request, _("The message already uses the default text."))
    return redirect("wording-edit", event, channel, language)


@never_cache
@login_required
@require_GET
@permission_required(PERMISSION, raise_exception=True)
def wording_history(request, event, channel, language):
    """Every version: who, when, saved or reset, and what changed from the one before."""
    message = _message_or_404(event, channel, language)
    records = list(
        MessageWording.history.filter(event=event, channel=channel, language=language)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    versions = []
    previous = None
    for record in records:
        text = f"{record.subject}\n\n{record.body}"
        versions.append(
            {
                "record": record,
                "reset": record.history_type == "-",
                "text": text,
                "diff": (
                    "\n".join(
                        difflib.unified_diff(
                            previous.splitlines(),
                            text.splitlines(),
                            _("before"),
                            _("after"),
                            lineterm="",
                        )
                    )
                    if previous is not None and record.history_type != "-"
                    else ""
                ),
            }
        )
        previous = None if record.history_type == "-" else text
    versions.reverse()
    return render(request, "fiep/wording_history.html", {**message, "versions": versions})
