"""Every write of the roster and of assignments goes through a function here.

Functions are keyword-only, validate, change state inside ``transaction.atomic`` and list
their side effects in the docstring. A request's status changes only through
:func:`fiep_requests.services.request_transition`.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fiep.models import Language
from fiep.notifications import Event, notify
from fiep_requests.models import FacilitationRequest, MeetingType, RequestStatus
from fiep_requests.services import request_transition

from .models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ContractStatus,
    Facilitator,
    ObjectingParty,
    Objection,
    SpokenLanguage,
    Training,
    TrainingCourse,
    Unavailability,
)
from .selectors import LIVE_STATUSES, live_assignment, roster, rotation_days


class AssignmentRefused(Exception):
    """The assignment (or response) cannot be made; the message says why, for staff."""


# --------------------------------------------------------------------------- roster


FACILITATOR_FIELDS = [
    "user",
    "email",
    "first_name",
    "last_name",
    "phone",
    "background",
    "contract_status",
    "vendor_number",
    "hourly_rate",
    "mileage_rate",
    "max_open_cases",
]


@transaction.atomic
def facilitator_save(*, facilitator=None, data, regions=None, languages=None):
    """Create (``facilitator=None``) or update a roster entry from cleaned ``data``.

    ``data`` holds any of :data:`FACILITATOR_FIELDS`; ``regions`` and ``languages``
    (iterables, optional) replace the current sets. Side effects: the Facilitator row and
    its region/language links. Returns the facilitator.
    """
    unknown = set(data) - set(FACILITATOR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown facilitator fields: {sorted(unknown)}")
    facilitator = facilitator or Facilitator()
    for name, value in data.items():
        setattr(facilitator, name, value)
    facilitator.full_clean(exclude=["regions", "languages"])
    facilitator.save()
    if regions is not None:
        facilitator.regions.set(regions)
    if languages is not None:
        facilitator.languages.set(languages)
    return facilitator


@transaction.atomic
def facilitator_profile_update(*, facilitator, phone, background, languages):
    """The facilitator's own edit: phone, background and languages (never contract fields).

    Side effects: the Facilitator row and its language links.
    """
    facilitator.phone = phone
    facilitator.background = background
    facilitator.save(update_fields=["phone", "background"])
    facilitator.languages.set(languages)
    return facilitator


def training_record(*, facilitator, course, completed_on, hours, continuing_due_on=None):
    """Add a training to the record. A continuing-education due date is required for a
    continuing course and defaults to two years after completion for the others.

    Side effects: one Training row.
    """
    if continuing_due_on is None:
        years = getattr(settings, "FIEP_CONTINUING_EDUCATION_YEARS", 2)
        try:
            continuing_due_on = completed_on.replace(year=completed_on.year + years)
        except ValueError:  # 29 February
            continuing_due_on = completed_on.replace(year=completed_on.year + years, day=28)
    training = Training(
        facilitator=facilitator,
        course=TrainingCourse(course),
        completed_on=completed_on,
        hours=hours,
        continuing_due_on=continuing_due_on,
    )
    training.full_clean()
    training.save()
    return training


def unavailability_add(*, facilitator, starts_on, ends_on, note=""):
    """Record that the facilitator cannot facilitate from ``starts_on`` to ``ends_on``
    (inclusive). Side effects: one Unavailability row."""
    if ends_on < starts_on:
        raise ValidationError(_("The end date must not be before the start date."))
    item = Unavailability(facilitator=facilitator, starts_on=starts_on, ends_on=ends_on, note=note)
    item.full_clean()
    item.save()
    return item


def unavailability_remove(*, unavailability):
    """Delete one unavailability range. Side effects: deletes the row."""
    unavailability.delete()


def conflict_add(*, facilitator, district, reason):
    """Record a district the facilitator must not serve, and why.

    Side effects: one Conflict row. Existing live assignments are not changed: staff see
    the conflict on the case and reassign.
    """
    if not reason.strip():
        raise ValidationError(_("Give the reason for the conflict."))
    if Conflict.objects.filter(facilitator=facilitator, district=district).exists():
        raise ValidationError(_("This conflict is already recorded."))
    return Conflict.objects.create(facilitator=facilitator, district=district, reason=reason)


def conflict_remove(*, conflict):
    """Delete one conflict. Side effects: deletes the row."""
    conflict.delete()


def facilitator_trial_review(*, facilitator):
    """Promote a trial facilitator to active after ``FIEP_TRIAL_FACILITATIONS`` held meetings.

    Counts meetings through the reverse relation (this app never imports meetings). The
    meetings app may call it after recording an outcome. Side effects: the contract
    status, at most once. Returns True when promoted.
    """
    if facilitator.contract_status != ContractStatus.TRIAL:
        return False
    needed = getattr(settings, "FIEP_TRIAL_FACILITATIONS", 3)
    held = (
        Facilitator.objects.filter(pk=facilitator.pk)
        .aggregate(n=Count("meetings", filter=Q(meetings__status="held")))
        .get("n")
        or 0
    )
    if held < needed:
        return False
    updated = Facilitator.objects.filter(pk=facilitator.pk, contract_status=ContractStatus.TRIAL)
    if updated.update(contract_status=ContractStatus.ACTIVE):
        facilitator.contract_status = ContractStatus.ACTIVE
        return True
    return False


# --------------------------------------------------------------------- suggestions


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


def _evaluate(request, facilitators):
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
        (c for c in _evaluate(request, list(roster())) if c.eligible), key=lambda c: c.rank
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
    candidates = _evaluate(request, list(facilitators))
    return sorted(
        candidates,
        key=lambda c: (c.rank is None, c.rank or 0, c.facilitator.last_name.lower()),
    )


# ---------------------------------------------------------------------- assignment


def _portal_url(name, **kwargs):
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _language_of(facilitator):
    user = facilitator.user
    return getattr(user, "preferred_language", None) or Language.ENGLISH


def facilitator_assign(*, request, facilitator, by, note=""):
    """Offer ``request`` (approved) to ``facilitator``.

    Locks the request row, then the facilitator row (always in that order), and checks
    again under the locks, so two staff assigning at once cannot double-book a case or
    push a facilitator over ``max_open_cases``: the second gets :class:`AssignmentRefused`
    with a message naming why. Also refuses facilitators who are inactive, conflicted,
    unavailable on the set date, or declined/objected to on this case.

    Side effects: an Assignment (offered); the request moves APPROVED → ASSIGNED (history
    row); a FACILITATOR_ASSIGNED e-mail to the facilitator in their language (outbox,
    sent after commit). Returns the assignment.
    """
    with transaction.atomic():
        locked = (
            FacilitationRequest.objects.select_for_update()
            .select_related("district__region")
            .get(pk=request.pk)
        )
        fac = Facilitator.objects.select_for_update().get(pk=facilitator.pk)
        live = live_assignment(locked)
        if live is not None:
            raise AssignmentRefused(
                _("%(reference)s was just assigned to %(name)s. Reload the page.")
                % {"reference": locked.reference, "name": live.facilitator.full_name}
            )
        if locked.status != RequestStatus.APPROVED:
            raise AssignmentRefused(
                _("%(reference)s is “%(status)s”: only approved requests can be assigned.")
                % {"reference": locked.reference, "status": locked.get_status_display()}
            )
        # Re-weigh under the locks: the counts now include every committed assignment.
        candidate = _evaluate(locked, list(roster().filter(pk=fac.pk)))[0]
        if candidate.exclusions:
            raise AssignmentRefused(
                _("%(name)s cannot take this case: %(why)s")
                % {"name": fac.full_name, "why": " ".join(candidate.exclusions)}
            )
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    request=locked,
                    facilitator=fac,
                    assigned_by=by if getattr(by, "is_authenticated", False) else None,
                    note=note,
                )
        except IntegrityError as exc:  # the one-live-assignment constraint, last line
            raise AssignmentRefused(
                _("%(reference)s was just assigned by someone else. Reload the page.")
                % {"reference": locked.reference}
            ) from exc
        request_transition(
            request=locked,
            to_status=RequestStatus.ASSIGNED,
            by=by,
            reason=_("Facilitator offered: %(name)s") % {"name": fac.full_name},
        )
        notify(
            event=Event.FACILITATOR_ASSIGNED,
            to_email=fac.email,
            to_name=fac.full_name,
            language=_language_of(fac),
            context={
                "name": fac.first_name,
                "reference": locked.reference,
                "district": locked.district.name,
                "region": locked.district.region.name,
                # Lazy label: rendered in the recipient's language by notify().
                "meeting_type": MeetingType(locked.meeting_type).label
                if locked.meeting_type
                else "",
                "meeting_date": locked.meeting_date_set,
                "note": note,
                "case_url": _portal_url("facilitators:my-case", pk=locked.pk),
            },
            dedupe_key=f"facilitator_assigned:{assignment.pk}",
            case_reference=locked.reference,
            related=assignment,
        )
    request.status = locked.status
    return assignment


def _locked_assignment(assignment):
    return (
        Assignment.objects.select_for_update()
        .select_related("request", "facilitator")
        .get(pk=assignment.pk)
    )


def _check_responder(assignment, user):
    if assignment.facilitator.user_id is None or assignment.facilitator.user_id != user.pk:
        raise AssignmentRefused(_("Only the facilitator offered this case can answer."))


def assignment_accept(*, assignment, user, attest_no_conflict):
    """The facilitator accepts an offered case and attests they have no conflict.

    Refuses without the attestation, when the offer is no longer open, or when a conflict
    with the district is on record. Side effects: the assignment becomes ACCEPTED with
    ``responded_at`` and ``conflict_attested_at``; a trial facilitator may be promoted
    (:func:`facilitator_trial_review`). The request stays ASSIGNED.
    """
    if not attest_no_conflict:
        raise ValidationError(
            _("Confirm that you have no conflict with this family or district to accept.")
        )
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        _check_responder(locked, user)
        if (
            locked.status != AssignmentStatus.OFFERED
            or locked.request.status != RequestStatus.ASSIGNED
        ):
            raise AssignmentRefused(_("This offer is no longer open."))
        if Conflict.objects.filter(
            facilitator=locked.facilitator, district=locked.request.district_id
        ).exists():
            raise AssignmentRefused(
                _("A conflict with this district is on record: decline the case instead.")
            )
        now = timezone.now()
        locked.status = AssignmentStatus.ACCEPTED
        locked.responded_at = now
        locked.conflict_attested_at = now
        locked.save(update_fields=["status", "responded_at", "conflict_attested_at"])
        facilitator_trial_review(facilitator=locked.facilitator)
    assignment.refresh_from_db()
    return locked


def assignment_decline(*, assignment, user, reason):
    """The facilitator declines an offered (or accepted, not yet scheduled) case.

    Side effects: the assignment becomes DECLINED with the reason; the request moves
    ASSIGNED → APPROVED (back to staff, history row); a FACILITATOR_DECLINED e-mail to the
    office (``FIEP_OFFICE_EMAIL``), after commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for declining."))
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        _check_responder(locked, user)
        if locked.status not in LIVE_STATUSES:
            raise AssignmentRefused(_("This offer is no longer open."))
        if locked.request.status != RequestStatus.ASSIGNED:
            raise AssignmentRefused(
                _("A meeting is already scheduled: ask the office to cancel it first.")
            )
        locked.status = AssignmentStatus.DECLINED
        locked.responded_at = timezone.now()
        locked.decline_reason = reason
        locked.save(update_fields=["status", "responded_at", "decline_reason"])
        request_transition(
            request=locked.request,
            to_status=RequestStatus.APPROVED,
            by=user,
            reason=_("Facilitator %(name)s declined: %(reason)s")
            % {"name": locked.facilitator.full_name, "reason": reason},
        )
        notify(
            event=Event.FACILITATOR_DECLINED,
            to_email=settings.FIEP_OFFICE_EMAIL,
            to_name=settings.FIEP_AGENCY_NAME,
            language=Language.ENGLISH,
            context={
                "facilitator": locked.facilitator.full_name,
                "reference": locked.request.reference,
                "reason": reason,
                "suggestions_url": _portal_url(
                    "facilitators:suggestions", request_pk=locked.request.pk
                ),
            },
            dedupe_key=f"facilitator_declined:{locked.pk}",
            case_reference=locked.request.reference,
            related=locked,
        )
    assignment.refresh_from_db()
    return locked


def objection_record(*, request, by, party, reason):
    """Record a party's objection to the assigned facilitator and return the case to staff.

    Each party (parent, district) may object once per case. Refused when no facilitator
    is assigned or a meeting is already scheduled. Side effects: an Objection row; the
    live assignment becomes REPLACED; the request moves ASSIGNED → APPROVED (history row)
    so staff assign another facilitator (the objected one is no longer suggested).
    """
    party = ObjectingParty(party)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the objection."))
    with transaction.atomic():
        locked = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        if Objection.objects.filter(request=locked, party=party).exists():
            raise AssignmentRefused(
                _("The %(party)s has already objected once on this case.")
                % {"party": party.label.lower()}
            )
        live = (
            Assignment.objects.select_for_update()
            .filter(request=locked, status__in=LIVE_STATUSES)
            .select_related("facilitator")
            .first()
        )
        if live is None:
            raise AssignmentRefused(_("No facilitator is assigned to this case."))
        if locked.status != RequestStatus.ASSIGNED:
            raise AssignmentRefused(
                _("A meeting is already scheduled: cancel it before replacing the facilitator.")
            )
        objection = Objection.objects.create(
            request=locked,
            assignment=live,
            party=party,
            reason=reason,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        live.status = AssignmentStatus.REPLACED
        live.save(update_fields=["status"])
        request_transition(
            request=locked,
            to_status=RequestStatus.APPROVED,
            by=by,
            reason=_("%(party)s objected to %(name)s: %(reason)s")
            % {"party": party.label, "name": live.facilitator.full_name, "reason": reason},
        )
    request.status = RequestStatus.APPROVED
    return objection


def language_get_or_create(*, name):
    """The SpokenLanguage called ``name`` (case-insensitive), created if missing."""
    name = name.strip()
    existing = SpokenLanguage.objects.filter(name__iexact=name).first()
    return existing or SpokenLanguage.objects.create(name=name)
