"""Ranked assignment suggestions, with the reasons for each rank."""

import contextlib
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from fiep.models import Language

from ..models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ContractStatus,
    Facilitator,
    Objection,
    Unavailability,
)
from ..selectors import LIVE_STATUSES, roster, rotation_days


@dataclass
class Candidate:
    """One facilitator weighed for one request.

    ``reasons`` are ``(met, text)`` pairs in ranking order; ``exclusions`` the texts of
    any hard reason this facilitator cannot be offered the case (empty when eligible).
    ``rank`` is 1-based among eligible candidates, None when excluded.
    """

    facilitator: Facilitator
    reasons: list = field(default_factory=list)
    exclusions: list = field(default_factory=list)
    key: tuple = ()
    rank: int | None = None

    @property
    def eligible(self):
        return not self.exclusions


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def request_dates(request):
    """The dates the meeting may fall on: the set date, else any dates written in the
    preferred times (``2026-12-10`` or ``12/10/2026``). ``(dates, is_set)``."""
    if request.meeting_date_set:
        return [request.meeting_date_set], True
    found = set()
    text = request.preferred_times or ""
    matches = _ISO_DATE.findall(text) + [(y, m, d) for m, d, y in _US_DATE.findall(text)]
    for y, m, d in matches:
        with contextlib.suppress(ValueError):  # "2026-02-30" is no date
            found.add(datetime.date(int(y), int(m), int(d)))
    return sorted(found), False


def request_languages(request):
    """Languages the family needs besides English, as SpokenLanguage names.

    The parent's language (``es`` → "Spanish") and the interpreter language, if any.
    """
    needed = []
    if request.parent_language and request.parent_language != Language.ENGLISH:
        with translation.override("en"):
            needed.append(str(Language(request.parent_language).label))
    interpreter = (request.interpreter_language or "").strip()
    known = {n.lower() for n in needed} | {"english", "en"}
    if interpreter and interpreter.lower() not in known:
        needed.append(interpreter)
    return needed


def candidates_weigh(request, facilitators):
    """Weigh every facilitator in ``facilitators`` (a :func:`roster` queryset)."""
    district = request.district
    region = district.region
    dates, date_is_set = request_dates(request)
    needed = request_languages(request)
    pks = [f.pk for f in facilitators]
    conflicts = {
        c.facilitator_id: c.reason
        for c in Conflict.objects.filter(facilitator_id__in=pks, district=district)
    }
    unavailable = {}
    if dates:
        ranges = Unavailability.objects.filter(
            facilitator_id__in=pks, starts_on__lte=dates[-1], ends_on__gte=dates[0]
        )
        for item in ranges:
            days = {d for d in dates if item.starts_on <= d <= item.ends_on}
            unavailable.setdefault(item.facilitator_id, set()).update(days)
    history = {}
    for a in Assignment.objects.filter(request=request, facilitator_id__in=pks):
        history.setdefault(a.facilitator_id, []).append(a)
    objected = set(
        Objection.objects.filter(request=request).values_list(
            "assignment__facilitator_id", flat=True
        )
    )
    candidates = []
    for f in facilitators:
        c = Candidate(facilitator=f)
        if f.contract_status == ContractStatus.INACTIVE:
            c.exclusions.append(_("Inactive on the roster."))
        if f.pk in conflicts:
            c.exclusions.append(
                _("Conflict of interest with %(district)s: %(reason)s")
                % {"district": district.name, "reason": conflicts[f.pk]}
            )
        busy = unavailable.get(f.pk, set())
        if dates and busy and (date_is_set or len(busy) == len(dates)):
            c.exclusions.append(
                _("Unavailable on %(dates)s.")
                % {"dates": ", ".join(d.isoformat() for d in sorted(busy))}
            )
        if f.open_cases >= f.max_open_cases:
            c.exclusions.append(
                _("At the open-case limit (%(open)s of %(max)s).")
                % {"open": f.open_cases, "max": f.max_open_cases}
            )
        for a in history.get(f.pk, []):
            if a.status in LIVE_STATUSES:
                c.exclusions.append(_("Already assigned to this case."))
            elif a.status == AssignmentStatus.DECLINED:
                c.exclusions.append(
                    _("Declined this case: %(reason)s") % {"reason": a.decline_reason}
                )
        if f.pk in objected:
            c.exclusions.append(_("A party objected to this facilitator on this case."))

        serves = any(r.pk == region.pk for r in f.regions.all())
        spoken = {lang.name.lower() for lang in f.languages.all()}
        missing = [n for n in needed if n.lower() not in spoken]
        c.reasons.append(
            (serves, _("Serves the %(region)s region.") % {"region": region.name})
            if serves
            else (False, _("Does not serve the %(region)s region.") % {"region": region.name})
        )
        if needed:
            if missing:
                c.reasons.append(
                    (False, _("Does not speak %(languages)s.") % {"languages": ", ".join(missing)})
                )
            else:
                c.reasons.append(
                    (True, _("Speaks %(languages)s.") % {"languages": ", ".join(needed)})
                )
        else:
            c.reasons.append((True, _("No language other than English needed.")))
        if not dates:
            c.reasons.append((True, _("No meeting date yet.")))
        elif busy:
            c.reasons.append(
                (
                    False,
                    _("Available on %(free)s of %(all)s preferred dates.")
                    % {"free": len(dates) - len(busy), "all": len(dates)},
                )
            )
        elif not busy:
            c.reasons.append(
                (
                    True,
                    _("Available on %(dates)s.")
                    % {"dates": ", ".join(d.isoformat() for d in dates)},
                )
            )
        c.reasons.append(
            (
                True,
                _("%(count)s assignments in the last %(days)s days.")
                % {"count": f.recent_assignments, "days": rotation_days()},
            )
        )
        c.reasons.append(
            (
                f.open_cases < f.max_open_cases,
                _("%(open)s of %(max)s open cases.")
                % {"open": f.open_cases, "max": f.max_open_cases},
            )
        )
        last = f.last_assigned_at
        c.key = (
            0 if serves else 1,
            len(missing),
            len(busy),
            f.recent_assignments,
            f.open_cases,
            last.timestamp() if last else float("-inf"),
            f.last_name.lower(),
            f.first_name.lower(),
            f.pk,
        )
        candidates.append(c)
    ranked = sorted((c for c in candidates if c.eligible), key=lambda c: c.key)
    for position, c in enumerate(ranked, start=1):
        c.rank = position
    return candidates


def assignment_suggestions(*, request):
    """Rank the facilitators who may be offered ``request``, best first, with reasons.

    Excluded (never suggested): inactive facilitators; a recorded conflict with the
    request's district; unavailable on the set meeting date (or on every preferred date
    written in the request); at their open-case limit; already assigned to, declined, or
    objected to on this case.

    The eligible are ordered by, in this order (each only breaks ties of the ones before):

    1. serves the district's region (yes first);
    2. speaks the family's language(s) — the parent's language (``es`` → Spanish) and the
       interpreter language — fewest missing first;
    3. availability: fewest preferred dates on which they are unavailable first;
    4. rotation: fewest assignments (not declined) in the last ``FIEP_ROTATION_DAYS``;
    5. fewest open cases (room under ``max_open_cases``);
    6. longest since their last assignment (never assigned first);
    7. last name, first name.

    Returns a list of :class:`Candidate` (``rank`` 1…n). Reads only.
    """
    return sorted(
        (c for c in candidates_weigh(request, list(roster())) if c.eligible), key=lambda c: c.rank
    )


def assignment_search(*, request, query):
    """Every facilitator whose name or e-mail contains ``query``, weighed for ``request``.

    Excluded ones carry their ``exclusions`` so staff see why they are not suggested.
    Eligible ones come first in rank order. Reads only.
    """
    query = (query or "").strip()
    facilitators = roster()
    if query:
        facilitators = facilitators.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    candidates = candidates_weigh(request, list(facilitators))
    return sorted(
        candidates,
        key=lambda c: (c.rank is None, c.rank or 0, c.facilitator.last_name.lower()),
    )
