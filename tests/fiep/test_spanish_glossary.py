"""The catalogues follow the Spanish glossary (``../shared/spec/spanish-glossary.md``) and
pass gettext's own checks.

- ``msgfmt -c --check-format`` on every catalogue: headers, placeholders, and every plural
  form (``compilemessages`` alone accepts a missing third form, which then shows English).
- No msgstr uses a term the glossary lists as "used before review" (where its "use" column
  is not "keep").
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation

from tests import spanish

ROOT = spanish.ROOT
# ../shared beside the project (CI and every developer); FIEP_SHARED_DIR elsewhere.
GLOSSARY = (
    Path(os.environ.get("FIEP_SHARED_DIR") or ROOT.parent / "shared")
    / "spec"
    / "spanish-glossary.md"
)

BEFORE_REVIEW = spanish.BEFORE_REVIEW

#: Glossary "used before review" terms that stay allowed in some meaning: "queja estatal"
#: is still the term for a state complaint, and "evaluación" for staff text.
STILL_ALLOWED = {"queja estatal", "evaluación"}


def _strings(entry):
    return [entry.msgstr, *entry.msgstr_plural.values()]


def glossary_violations(entries):
    found = []
    for entry in entries:
        for name, pattern, msgid_pattern in BEFORE_REVIEW:
            if msgid_pattern and not re.search(msgid_pattern, entry.msgid):
                continue
            for text in _strings(entry):
                if text and re.search(pattern, text):
                    found.append(f"{name}: {entry.msgid[:50]!r} → {text[:80]!r}")
    return found


def test_no_catalogue_uses_a_term_the_glossary_replaced():
    problems = {}
    for path in spanish.catalogues():
        entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
        if found := glossary_violations(entries):
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


@pytest.mark.parametrize(
    ("msgid", "msgstr", "flagged"),
    [
        ("Request a facilitated IEP meeting", "Solicitar una reunión del IEP facilitada", True),
        ("Request a facilitated IEP meeting", "Solicitar una reunión facilitada del IEP", False),
        ("I do not agree", "No acepto", True),
        ("I do not agree", "No estoy de acuerdo", False),
        ("Placement", "Ubicación", True),
        ("Location", "Ubicación", False),  # the place of a meeting is not "placement"
        ("Child complaints", "Quejas estatales", True),
        ("Child complaints", "Quejas estatales (child complaints)", False),
        ("State complaint", "Queja estatal", False),
        ("Advocate", "Defensor", True),
        ("Advocate", "Defensor(a) o intercesor(a)", False),
        ("Very satisfied", "Muy satisfecho", True),
        ("Very satisfied", "Muy satisfecho(a)", False),
    ],
)
def test_glossary_check_flags_the_old_term_and_passes_the_new(msgid, msgstr, flagged):
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    assert bool(glossary_violations([entry])) is flagged


def _glossary_rows():
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "---"):
            yield cells


@pytest.mark.skipif(not GLOSSARY.is_file(), reason="../shared/spec is not beside the project")
def test_every_replaced_glossary_term_is_checked():
    """A term the glossary replaces (its "use" is not "keep") is caught by BEFORE_REVIEW,
    so a new row in the glossary cannot be forgotten here."""
    unchecked = []
    for english, before, use in _glossary_rows():
        if use.lower().startswith("keep") and "keep it" not in use.lower():
            continue
        for term in re.findall(r"\"([^\"]+)\"", before):
            if term in STILL_ALLOWED or term in use or "," in term or "otherwise" in term:
                continue
            for candidate in {term, term.split("…")[0].strip()}:
                entry = polib.POEntry(msgid=english, msgstr=candidate)
                if not glossary_violations([entry]):
                    unchecked.append(f"{english}: {candidate!r}")
    assert unchecked == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("path", spanish.catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_passes_msgfmt_check(path):
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_every_plural_has_every_spanish_form():
    missing = []
    for path in spanish.catalogues():
        po = polib.pofile(str(path))
        nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
        assert nplurals == 3, path  # Django's Spanish: one, many (a million…), other
        for entry in po:
            if entry.msgid_plural and not entry.obsolete:
                forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
                if not all(forms):
                    missing.append(f"{path.relative_to(ROOT)}: {entry.msgid}")
    assert missing == []


def test_history_import_problem_count_is_spanish_for_two_and_three():
    """The third form is the one a count of 2 or 3 uses: it was missing and showed English."""
    with translation.override("es"):
        for count in (1, 2, 3, 1_000_000):
            text = translation.ngettext(
                "The files have %(counter)s problem; nothing was written.",
                "The files have %(counter)s problems; nothing was written.",
                count,
            ) % {"counter": count}
            assert text.startswith("Los archivos tienen"), (count, text)


def test_the_two_family_sentences_say_what_the_english_says():
    start = "A neutral facilitator helps the IEP team talk and reach agreement. It is free and "
    with translation.override("es"):
        free = [
            translation.gettext(
                start + "voluntary: it only goes ahead if both the family and "
                "the school district agree."
            ),
            translation.gettext(
                start + "voluntary: it goes ahead only if both the family and "
                "the school district agree."
            ),
        ]
        deadline = translation.gettext(
            "If we do not hear from you by %(expires_on)s, the request will close."
        )
    for text in free:
        # "Es gratuito" made the facilitator free and voluntary; the service is.
        assert "Este servicio es gratuito y voluntario" in text
        assert "Es gratuito y voluntario" not in text
    assert "a más tardar el %(expires_on)s" in deadline
    assert "antes del" not in deadline


def test_catalogues_live_where_the_glossary_test_looks():
    assert {p.relative_to(ROOT).parts[0] for p in spanish.catalogues()} >= {
        "fiep",
        "fiep_requests",
        "facilitators",
        "meetings",
        "evaluations",
        "reports",
        "locale",
    }
    assert all(isinstance(p, Path) for p in spanish.catalogues())
