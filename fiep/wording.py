"""Wording edited by administrators: checking it, rendering it, and the default text as
the editable starting point.

An edited text is plain text with placeholders, ``{{ consent_url }}``, and nothing else:
no template tags, no filters, no comments. So an edited text can only say things and
insert the values the message documents (``fiep.placeholders``); it cannot reach other
data, loop, include templates or change escaping. It is rendered by a Django template
engine of its own (no context processors, ``string_if_invalid`` empty) after
:func:`validate` has accepted it; a stored text that no longer validates (a placeholder
removed in a later release) is ignored and the default files are used, with a warning
in the log.

The HTML part is built from the text: every character escaped, a blank line starts a
paragraph, a line break is ``<br>``, a link placeholder becomes a link, all inside
``emails/base.html`` (the same header, footer and ``<title>`` as every message).
"""

import functools
import logging
import re

from django.template import Context, Engine, TemplateDoesNotExist, engines
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string, select_template
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .branding import branding_context
from .cached import cached, forget
from .models import MessageWording
from .placeholders import example_context, placeholders_for

logger = logging.getLogger(__name__)

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
VARIABLE = re.compile(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}")
#: The folder of each channel's default templates and its wrapper of an edited HTML part.
CHANNEL_ROOTS = {"email": "emails", "letter": "letters"}

SUBJECT_MAX_LENGTH = 200


# --- Validation ----------------------------------------------------------------------


def check_source(source, placeholders):
    """The located errors of one text (``["line 3: unknown placeholder {{ x }}", …]``)."""
    errors = []
    for token in Lexer(source).tokenize():
        line = token.lineno
        if token.token_type == TokenType.BLOCK:
            errors.append(
                _(
                    "line %(line)s: {%% %(tag)s %%} is not allowed: write plain text and "
                    "placeholders such as {{ name }} only."
                )
                % {"line": line, "tag": token.contents.strip()}
            )
        elif token.token_type == TokenType.COMMENT:
            errors.append(_("line %(line)s: comments {# … #} are not allowed.") % {"line": line})
        elif token.token_type == TokenType.VAR:
            name = token.contents.strip()
            if not name:
                errors.append(_("line %(line)s: empty placeholder {{ }}.") % {"line": line})
            elif not NAME.match(name):
                errors.append(
                    _(
                        "line %(line)s: {{ %(text)s }}: write only a placeholder's name between "
                        "{{ and }}, without filters, dots or spaces."
                    )
                    % {"line": line, "text": name}
                )
            elif name not in placeholders:
                errors.append(
                    _("line %(line)s: unknown placeholder {{ %(name)s }}")
                    % {"line": line, "name": name}
                )
        else:
            errors.extend(_stray_braces(token.contents, line))
    return errors


def _stray_braces(text, first_line):
    errors = []
    for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
        for mark in (opening, closing):
            at = text.find(mark)
            if at >= 0:
                errors.append(
                    _('line %(line)s: "%(mark)s" without its "%(other)s".')
                    % {
                        "line": first_line + text[:at].count("\n"),
                        "mark": mark,
                        "other": closing if mark == opening else opening,
                    }
                )
    return errors


def validate(event, *, subject, body):
    """``{"subject": [errors], "body": [errors]}``, empty lists when the text may be saved."""
    placeholders = placeholders_for(event)
    errors = {"subject": [], "body": []}
    if not subject.strip():
        errors["subject"].append(_("Write the subject."))
    elif "\n" in subject.strip() or "\r" in subject.strip():
        errors["subject"].append(_("The subject is one line."))
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"].append(
            _("The subject has at most %(count)s characters.") % {"count": SUBJECT_MAX_LENGTH}
        )
    errors["subject"].extend(check_source(subject, placeholders))
    if not body.strip():
        errors["body"].append(_("Write the text."))
    errors["body"].extend(check_source(body, placeholders))
    used = set(VARIABLE.findall(body))
    for placeholder in placeholders.values():
        if placeholder.is_required and placeholder.name not in used:
            errors["body"].append(
                _(
                    "The text must contain {{ %(name)s }} (%(what)s): without it the "
                    "reader cannot act."
                )
                % {"name": placeholder.name, "what": placeholder.description}
            )
    return errors


def is_valid(event, *, subject, body):
    return not any(validate(event, subject=subject, body=body).values())


# --- Rendering -----------------------------------------------------------------------


@functools.cache
def _engine(*, autoescape):
    # No libraries, no loaders, no context processors: only {{ name }} is ever rendered.
    return Engine(autoescape=autoescape, string_if_invalid="", libraries={}, loaders=[])


def _keep_lines(source, placeholders, values):
    """Leave out each line whose optional placeholder is empty in this message."""
    kept = []
    for line in source.splitlines():
        names = VARIABLE.findall(line)
        if any(placeholders[n].optional and not values.get(n) for n in names):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _paragraphs(html):
    parts = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", html) if p.strip()]
    return "\n".join("<p>" + "<br>\n".join(p.split("\n")) + "</p>" for p in parts)


def render_wording(*, event, channel, subject, body, context):
    """``(subject, text, html)`` of an edited text for one message, or None if the text
    does not validate. Call inside the message's language (dates are written in it)."""
    if not is_valid(event, subject=subject, body=body):
        logger.warning("Edited wording of %s (%s) does not validate: default used", event, channel)
        return None
    placeholders = placeholders_for(event)
    used = set(VARIABLE.findall(subject)) | set(VARIABLE.findall(body))
    values = {name: placeholders[name].value(context) for name in used}
    text_engine, html_engine = _engine(autoescape=False), _engine(autoescape=True)

    # The subject is never left out: an empty optional value just leaves a gap.
    subject_text = " ".join(
        text_engine.from_string(subject).render(Context(values, autoescape=False)).split()
    )
    source = _keep_lines(body, placeholders, values)
    text = text_engine.from_string(source).render(Context(values, autoescape=False))
    links = {
        name: format_html('<a href="{0}">{0}</a>', value)
        if placeholders[name].kind == "url"
        else value
        for name, value in values.items()
    }
    # The literal text is escaped before it becomes a template ({{ }} survive escaping);
    # the values are escaped by the engine, except the links made just above.
    html_body = _paragraphs(
        html_engine.from_string(escape(source)).render(Context(links, autoescape=True))
    )
    root = CHANNEL_ROOTS.get(channel, "emails")
    wrapper = {**context, "subject": subject_text}
    text_part = render_to_string(
        [f"{root}/wording_body.txt", "emails/wording_body.txt"],
        {**wrapper, "wording_text": text},
    )
    html = render_to_string(
        [f"{root}/wording_body.html", "emails/wording_body.html"],
        # The text was escaped before it became a template and the values by the engine
        # (tests/fiep/test_wording.py: hostile values and texts come out escaped).
        {**wrapper, "wording_html": mark_safe(html_body)},  # noqa: S308  # nosec B308 B703  # nosemgrep
    )
    return subject_text, text_part, html


def wording_for(*, event, channel, language):
    """The stored override of one message in one language, or None (one query)."""
    return MessageWording.objects.filter(event=event, channel=channel, language=language).first()


WORDINGS_CACHE_KEY = "fiep:wordings:1"


def _load_wordings():
    return {
        f"{event}|{channel}|{language}": {"subject": subject, "body": body}
        for event, channel, language, subject, body in MessageWording.objects.values_list(
            "event", "channel", "language", "subject", "body"
        )
    }


def saved_wording(*, event, channel, language):
    """The stored override of one message as ``{"subject", "body"}``, or None: every
    override is read with one query and kept in the cache (no query per message);
    :func:`forget_saved_wordings` drops them when one is saved or reset."""
    return cached(WORDINGS_CACHE_KEY, _load_wordings).get(f"{event}|{channel}|{language}")


def forget_saved_wordings():
    forget(WORDINGS_CACHE_KEY)


# --- The default text as editable source ---------------------------------------------


class Marker(SafeString):
    """A placeholder written back as ``{{ name }}`` while a default template renders."""

    def __new__(cls, name):
        return super().__new__(cls, f"{{{{ {name} }}}}")


@functools.cache
def _source_engine():
    default = engines["django"].engine
    extra_builtins = [b for b in default.builtins if b not in Engine.default_builtins]
    return Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    # The footer is added to every edited text; the meeting block is one
                    # placeholder.
                    "emails/footer.txt": "",
                    "emails/_meetings_details.txt": "{{ meeting_details }}\n",
                },
            ),
            *default.loaders,
        ],
        builtins=[*extra_builtins, "fiep.templatetags.wording_source"],
        libraries=default.libraries,
        string_if_invalid="",
    )


def default_source(*, event, channel, language):
    """``(subject, body)``: the default message in ``language`` with every placeholder
    written as ``{{ name }}`` — what the editor shows before anything was edited."""
    placeholders = placeholders_for(event)
    context = {
        **branding_context(),
        "SITE_URL": "",
        "LANGUAGE_CODE": language,
        **example_context(event),
        **{name: Marker(name) for name in placeholders},
    }
    folder = f"{CHANNEL_ROOTS[channel]}/{event}"
    engine = _source_engine()
    with translation.override(language):
        # A letter without a subject of its own uses the e-mail's (as render_message does).
        subject_names = [f"{folder}/subject.txt", f"emails/{event}/subject.txt"]
        subject = " ".join(engine.render_to_string(subject_names, context).split())
        body = engine.render_to_string(f"{folder}/body.txt", context)
    body = "\n".join(line.rstrip() for line in body.splitlines())
    return subject, re.sub(r"\n{3,}", "\n\n", body).strip()


def has_default(*, event, channel):
    """Whether the channel has default templates for ``event`` (letters exist for some)."""
    if channel not in CHANNEL_ROOTS:
        return False
    try:
        select_template([f"{CHANNEL_ROOTS[channel]}/{event}/body.txt"])
    except TemplateDoesNotExist:
        return False
    return True
