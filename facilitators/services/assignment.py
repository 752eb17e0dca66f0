"""Assignment: offer, accept, decline, objection. Status moves via request_transition."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.exceptions import ServiceError
from fiep.models import Language
from fiep.notifications import Event, notify
from fiep_requests.models import FacilitationRequest, MeetingType, RequestStatus
from fiep_requests.services import request_transition

from ..models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    Facilitator,
    ObjectingParty,
    Objection,
)
from ..selectors import LIVE_STATUSES, live_assignment, roster
from .roster import facilitator_trial_review
from .suggestions import candidates_weigh


class AssignmentRefused(ServiceError):
    """The assignment (or response) cannot be made; the message says why, for staff."""


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
        candidate = candidates_weigh(locked, list(roster().filter(pk=fac.pk)))[0]
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
            reason=gettext_lazy("Facilitator offered: %(name)s"),
            reason_params={"name": fac.full_name},
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
        raise ServiceError(
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
        raise ServiceError(_("Give a reason for declining."))
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
            reason=gettext_lazy("Facilitator %(name)s declined: %(reason)s"),
            reason_params={"name": locked.facilitator.full_name, "reason": reason},
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
        raise ServiceError(_("Give the reason for the objection."))
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
            reason=gettext_lazy("%(party)s objected to %(name)s: %(reason)s"),
            reason_params={
                "party": party.label,
                "name": live.facilitator.full_name,
                "reason": reason,
            },
        )
    request.status = RequestStatus.APPROVED
    return objection


def assignment_release(*, request, by=None):
    """Release the live (offered or accepted) assignment of a request that has closed.

    Called by the ``fiep_requests.signals.request_closed`` receiver: the request was
    withdrawn, cancelled or found not eligible before its meeting was held. The request
    is not moved (its own app already closed it). Does nothing (returns None) when no
    facilitator holds the case.

    Side effects: the assignment becomes RELEASED with ``released_at``; a
    FACILITATOR_RELEASED e-mail to the facilitator in their language (outbox, after commit).
    """
    with transaction.atomic():
        live = (
            Assignment.objects.select_for_update(of=("self",))
            .filter(request_id=request.pk, status__in=LIVE_STATUSES)
            .select_related("facilitator__user")
            .first()
        )
        if live is None:
            return None
        live.status = AssignmentStatus.RELEASED
        live.released_at = timezone.now()
        live.save(update_fields=["status", "released_at"])
        fac = live.facilitator
        notify(
            event=Event.FACILITATOR_RELEASED,
            to_email=fac.email,
            to_name=fac.full_name,
            language=_language_of(fac),
            context={
                "name": fac.first_name,
                "reference": request.reference,
                # Lazy label: rendered in the recipient's language by notify().
                "status": RequestStatus(request.status).label,
                "cases_url": _portal_url("facilitators:my-cases"),
            },
            dedupe_key=f"facilitator_released:{live.pk}",
            case_reference=request.reference,
            related=live,
        )
    return live
