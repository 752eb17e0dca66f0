"""A case with identifying data in every table that can hold some, all marked with
:data:`MARK` so a test can prove that no table keeps any of it after a purge."""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from evaluations.models import FacilitatorSelfEvaluation, FollowUp
from facilitators.models import AssignmentStatus, Objection
from fiep.models import OutboxMessage
from fiep.services import access_log_record
from fiep_requests.models import IDENTIFYING_FIELDS, CaseNote, FacilitationRequest, StatusChange
from meetings.models import Meeting, MeetingChange, MeetingStatus, OutcomeIssue, TimeEntry
from tests.factories import (
    AssignmentFactory,
    EvaluationFactory,
    EvaluationInvitationFactory,
    FacilitationRequestFactory,
    MeetingFactory,
    ParticipantFactory,
    staff_user,
)

#: Appears only in identifying data (never in a token, reference or label).
MARK = "Qzxvjk"


def _marked(name, model_field):
    if isinstance(model_field, models.GenericIPAddressField):
        return "203.0.113.77"  # an address cannot carry the mark (PostgreSQL checks inet)
    if isinstance(model_field, models.EmailField):
        return f"{MARK.lower()}.{name.replace('_', '')}@example.org"
    if isinstance(model_field, models.DateField):
        return datetime.date(2012, 3, 14)
    return f"{MARK}{name}"[: model_field.max_length or 200]


def final_since(case, when, status=None):
    """Record the move into the case's final status at ``when``."""
    change = StatusChange.objects.create(
        request=case,
        from_status="held",
        to_status=status or case.status,
        reason=f"{MARK} reason",
    )
    StatusChange.objects.filter(pk=change.pk).update(at=when)
    return change


def full_case(*, status="closed", years_ago=6, held=True, **kwargs):
    """A case whose final status began ``years_ago`` years ago, with identifying data in
    the request, its notes, status reasons, messages, assignment, objection, meeting,
    participants, outcome issues, time entries, evaluations, follow-ups, reflections and
    its change history; one access-log entry."""
    values = {
        name: _marked(name, FacilitationRequest._meta.get_field(name))
        for name in IDENTIFYING_FIELDS
    }
    values.update(kwargs)
    case = FacilitationRequestFactory(status=status, **values)
    staff = staff_user()
    final_since(case, timezone.now() - datetime.timedelta(days=365 * years_ago + 2))
    case.history.update(history_change_reason=f"{MARK} change")
    CaseNote.objects.create(request=case, author=staff, text=f"{MARK} note")
    OutboxMessage.objects.create(
        event="request_approved",
        dedupe_key=f"request_approved:{case.reference}:{MARK.lower()}@example.org",
        recipient_email=f"{MARK.lower()}@example.org",
        recipient_name=f"{MARK} Parent",
        language="en",
        subject=f"{MARK} subject",
        body_text=f"{MARK} body",
        body_html=f"<p>{MARK}</p>",
        attachments=[{"filename": "m.ics", "mimetype": "text/calendar", "content": MARK}],
        case_reference=case.reference,
    )
    assignment = AssignmentFactory(
        request=case,
        status=AssignmentStatus.ACCEPTED,
        note=f"{MARK} note",
        decline_reason=f"{MARK} decline",
    )
    Objection.objects.create(
        request=case, assignment=assignment, party="parent", reason=f"{MARK} objection"
    )
    access_log_record(user=staff, case_reference=case.reference, purpose="Case page", obj=case)
    if not held:
        return case
    meeting = MeetingFactory(
        request=case,
        facilitator=assignment.facilitator,
        status=MeetingStatus.HELD,
        held_on=datetime.date(2019, 5, 2),
        consensus="all",
        attendance={"parent": 1, "special_educator": 2},
        **{name: f"{MARK} {name}"[:60] for name in Meeting.IDENTIFYING_FIELDS},
    )
    ParticipantFactory(meeting=meeting, name=f"{MARK} Person", email=f"{MARK}p@example.org")
    OutcomeIssue.objects.create(meeting=meeting, description=f"{MARK} issue", resolved=True)
    MeetingChange.objects.create(meeting=meeting, kind="scheduled", reason=f"{MARK} change")
    TimeEntry.objects.create(
        meeting=meeting,
        facilitator=assignment.facilitator,
        worked_on=datetime.date(2019, 5, 2),
        kind="meeting",
        hours=3,
        justification=f"{MARK} long meeting",
    )
    expires = timezone.now() + datetime.timedelta(days=10)
    invitation = EvaluationInvitationFactory(meeting=meeting, email=f"{MARK}i@example.org")
    EvaluationInvitationFactory(meeting=meeting, email=f"{MARK}j@example.org")
    EvaluationFactory(
        meeting=meeting,
        invitation=invitation,
        comments=f"{MARK} comment",
        satisfaction="satisfied",
        would_recommend=True,
    )
    FollowUp.objects.create(
        meeting=meeting,
        invitation=invitation,
        email=f"{MARK}f@example.org",
        expires_at=expires,
        agreements_held="yes",
        comments=f"{MARK} follow-up",
    )
    FacilitatorSelfEvaluation.objects.create(
        meeting=meeting,
        facilitator=assignment.facilitator,
        expires_at=expires,
        overall="went_well",
        went_well=f"{MARK} well",
        do_differently=f"{MARK} differently",
    )
    return case


def tables_with_mark(marker=MARK):
    """``{model label: count}`` of rows in any table (history tables included) with
    ``marker`` in any text or JSON column."""
    found = {}
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not names:
            continue
        query = Q()
        for name in names:
            query |= Q(**{f"{name}__icontains": marker})
        count = model._base_manager.filter(query).count()
        if count:
            found[model._meta.label] = count
    return found
