"""What this app adds to a case: timeline entries and the staff case-page section.

Registered in ``FacilitatorsConfig.ready()`` through ``fiep_requests.extensions`` so the
case page never imports this app.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from fiep_requests.extensions import TimelineEntry

from .models import Assignment, AssignmentStatus, Objection
from .selectors import LIVE_STATUSES
from .services import assignment_suggestions


def _who(user):
    return user.display_name if user is not None else ""


def timeline_entries(case):
    """Assignments, acceptances, declines, reassignments and objections of ``case``."""
    entries = []
    assignments = list(
        Assignment.objects.filter(request=case)
        .select_related("facilitator", "assigned_by", "facilitator__user")
        .order_by("assigned_at", "id")
    )
    previous = None
    for a in assignments:
        name = a.facilitator.full_name
        if previous is None:
            text = _("Facilitator offered: %(name)s") % {"name": name}
            kind = "assignment"
        else:
            text = _("Reassigned to %(name)s (previously %(previous)s)") % {
                "name": name,
                "previous": previous.facilitator.full_name,
            }
            kind = "reassignment"
        entries.append(
            TimelineEntry(
                at=a.assigned_at, kind=kind, text=text, by=_who(a.assigned_by), detail=a.note
            )
        )
        if a.responded_at and a.status == AssignmentStatus.DECLINED:
            entries.append(
                TimelineEntry(
                    at=a.responded_at,
                    kind="decline",
                    text=_("%(name)s declined the case") % {"name": name},
                    by=_who(a.facilitator.user),
                    detail=a.decline_reason,
                )
            )
        elif a.conflict_attested_at:
            entries.append(
                TimelineEntry(
                    at=a.conflict_attested_at,
                    kind="assignment",
                    text=_("%(name)s accepted and attested no conflict") % {"name": name},
                    by=_who(a.facilitator.user),
                )
            )
        if a.released_at:
            entries.append(
                TimelineEntry(
                    at=a.released_at,
                    kind="assignment",
                    text=_("%(name)s released: the case closed before the meeting")
                    % {"name": name},
                )
            )
        previous = a
    for o in Objection.objects.filter(request=case).select_related(
        "assignment__facilitator", "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                at=o.recorded_at,
                kind="objection",
                text=_("%(party)s objected to %(name)s")
                % {"party": o.get_party_display(), "name": o.assignment.facilitator.full_name},
                by=_who(o.recorded_by),
                detail=o.reason,
            )
        )
    return sorted(entries, key=lambda e: e.at)


def case_panel(http_request, case):
    """The staff case page section: current facilitator, history, and the assign link
    with the top suggestions when the case is approved. None for users who cannot assign.
    """
    if not http_request.user.has_perm("facilitators.assign"):
        return None

    assignments = list(
        Assignment.objects.filter(request=case)
        .select_related("facilitator")
        .order_by("-assigned_at", "-id")
    )
    live = next((a for a in assignments if a.status in LIVE_STATUSES), None)
    can_assign = http_request.user.has_perm("facilitators.assign_case", case)
    suggestions = assignment_suggestions(request=case)[:3] if can_assign else []
    return (
        "facilitators/_case_panel.html",
        {
            "case": case,
            "live": live,
            "assignments": assignments,
            "suggestions": suggestions,
            "can_assign": can_assign,
            "can_object": live is not None
            and http_request.user.has_perm("facilitators.record_objection", case),
            "suggestions_url": reverse("facilitators:suggestions", kwargs={"request_pk": case.pk}),
            "objection_url": reverse("facilitators:objection", kwargs={"request_pk": case.pk}),
        },
    )
