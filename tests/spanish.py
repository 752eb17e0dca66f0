"""What a Spanish translation reviewer looks for in rendered text, as checks the tests share.

- **English words**: the app's English vocabulary is every word of the catalogues' msgids
  that no Spanish msgstr uses ("home", "meeting", "the"; not "video" or "total", which are
  Spanish too). A word of it in a Spanish page, e-mail, PDF or calendar file is English
  that reached a Spanish reader.
- **English phrases**: whole msgids of two words or more ("Staff home") found verbatim;
  for pages whose data (demo names, districts) is English, where single words would be
  noise.
- **IANA zone identifiers** ("America/Chicago"): zones are named in words.
- **Day-first numeric dates** ("20/11/2026"): US readers read month first. Tests use days
  after the 12th so a day-first date cannot pass for a month-first one.
- **Terms the glossary replaced** (``BEFORE_REVIEW``, ``../shared/spec/spanish-glossary.md``):
  "reunión del IEP facilitada", "demanda de debido proceso", "Acepto" …
"""

import functools
import html
import re
import zoneinfo
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]+>|&\w+;")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[a-z]+)?")


def catalogues():
    return sorted(
        p
        for p in ROOT.rglob("locale/es/LC_MESSAGES/django.po")
        if not {".venv", ".venv-tools", "tests"} & set(p.parts)
    )


def _entries():
    for path in catalogues():
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield entry


def _words(text):
    return {w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text))}


@functools.cache
def english_vocabulary():
    """Words of at least three letters that only English msgids use."""
    english, spanish = set(), set()
    for entry in _entries():
        english |= _words(entry.msgid) | _words(entry.msgid_plural or "")
        spanish |= _words(entry.msgstr)
        for form in entry.msgstr_plural.values():
            spanish |= _words(form)
    return frozenset(w for w in english - spanish if len(w) >= 3)


@functools.cache
def english_phrases():
    """Msgids of two words or more whose Spanish differs, longest first."""
    phrases = set()
    for entry in _entries():
        text = " ".join(_PLACEHOLDER.sub(" ", entry.msgid).split())
        if "%" in entry.msgid or "{" in entry.msgid or len(text.split()) < 2:
            continue
        if entry.msgstr and entry.msgstr.strip() != entry.msgid.strip():
            phrases.add(text)
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(markup):
    """The text a reader sees: tags, scripts and styles out, entities decoded."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?s)<!--.*?-->", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _strip(text, values):
    for value in sorted((v for v in values if v), key=len, reverse=True):
        text = text.replace(value, " ")
    return re.sub(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+", " ", text)


def english_words(text, *, allowed=()):
    """English vocabulary words in ``text`` once the ``allowed`` values (names, data the
    reader typed) are taken out."""
    vocabulary = english_vocabulary()
    return sorted({w for w in _words(_strip(text, allowed)) if w in vocabulary})


def english_phrases_in(text, *, allowed=()):
    text = " ".join(_strip(text, allowed).split())
    found = []
    for phrase in english_phrases():
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text):
            found.append(phrase)
            text = text.replace(phrase, " ")
    return found


@functools.cache
def _zone_ids():
    return sorted((z for z in zoneinfo.available_timezones() if "/" in z), key=len, reverse=True)


def iana_zones(text):
    return [zone for zone in _zone_ids() if zone in text]


_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])")


def day_first_dates(text):
    """Numeric dates whose first number can only be a day (13 to 31)."""
    return [
        m.group(0)
        for m in _NUMERIC_DATE.finditer(text)
        if 12 < int(m.group(1)) <= 31 and int(m.group(2)) <= 12
    ]


#: (name, msgstr pattern, msgid pattern or None): a match of both is a term the glossary
#: replaced. Each name is the glossary row.
BEFORE_REVIEW = [
    ("facilitated IEP meeting", r"reuni[oó]n(es)? (del )?IEP facilitad", None),
    ("facilitated IEP meeting", r"\bIEP facilitad[oa]s?\b", None),
    ("the other party's agreement", r"\bacuerdo de (la otra parte|ambas partes)", None),
    ("I agree / I do not agree", r"^(Acepto|No acepto)\b", None),
    ("due process complaint", r"\bdemandas? de debido proceso", None),
    ("child complaint", r"\bquejas? sobre estudiantes", None),
    ("child complaint", r"^(?![\s\S]*\(child complaints?\))", r"(?i)\bchild complaint"),
    ("adult student", r"\bestudiantes? adult[oa]s?\b", None),
    ("placement", r"(?i)\bubicaci[oó]n", r"(?i)placement"),
    ("advocate", r"\b[Dd]efensor\b(?!\(a\))", None),
    ("general / special educator", r"\b[Mm]aestros? de educaci[oó]n", None),
    ("meeting held", r"\b[Cc]elebrad[oa]s?\b", None),
    ("consent (IDEA)", r"\b[Cc]onsentimiento\b", None),
    (
        "primary disability category",
        r"\b[Dd]iscapacidad (auditiva|ortop[eé]dica|visual)|\b[Tt]rastorno del habla",
        None,
    ),
    (
        "Individualized Education Program (IEP)",
        r"Programa de Educaci[oó]n Individualizado \(IEP\)",
        None,
    ),
    ("survey (satisfied, both genders)", r"\b[Ss]atisfecho\b(?!\(a\))", r"(?i)satisfied"),
]


def replaced_terms(text):
    """Glossary terms that were replaced, found in rendered Spanish ``text``."""
    found = []
    for name, pattern, msgid_pattern in BEFORE_REVIEW:
        if msgid_pattern is None and re.search(pattern, text, re.MULTILINE):
            found.append(name)
    return found


IEP_FIRST_MENTION = "Programa de Educación Individualizado (IEP, por sus siglas en inglés)"


def iep_first_mention_spelled_out(text):
    """The glossary: the first "IEP" of a page or e-mail is spelled out."""
    first = re.search(r"\bIEP\b", text)
    spelled = text.find(IEP_FIRST_MENTION)
    return first is None or (
        spelled != -1 and spelled + IEP_FIRST_MENTION.index("IEP") == first.start()
    )


def problems(text, *, allowed=(), phrases_only=False):
    """Everything a reviewer would flag in Spanish ``text``: a dict, empty when clean."""
    found = {
        "english": english_phrases_in(text, allowed=allowed)
        if phrases_only
        else english_words(text, allowed=allowed),
        "time zone ids": iana_zones(text),
        "day-first dates": day_first_dates(text),
        "glossary": replaced_terms(text),
    }
    return {kind: items for kind, items in found.items() if items}
