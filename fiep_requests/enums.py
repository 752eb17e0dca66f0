"""The intake app's enums that other modules and apps build on: the request statuses,
the moves between them (``TRANSITIONS``) and the categories of destroyed data.

Kept apart from ``models.py`` so rules, retention and other apps can import them without
the models (``models.py`` re-exports them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting the other party's agreement")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    ASSIGNED = "assigned", _("Facilitator assigned")
    SCHEDULED = "scheduled", _("Meeting scheduled")
    HELD = "held", _("Meeting held")
    CLOSED = "closed", _("Closed")
    DENIED = "denied", _("Not eligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class ConsentState(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed (joint request)")
    PENDING = "pending", _("Pending")
    GIVEN = "given", _("Agreed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


#: The moves the one transition function allows (``services.request_transition``); the
#: case actions' permissions are built from it (``rules.can_become``).
TRANSITIONS = {
    RequestStatus.SUBMITTED: {
        RequestStatus.AWAITING_CONSENT,
        RequestStatus.UNDER_REVIEW,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    },
    RequestStatus.AWAITING_CONSENT: {
        RequestStatus.UNDER_REVIEW,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    },
    RequestStatus.UNDER_REVIEW: {
        RequestStatus.APPROVED,
        RequestStatus.DENIED,
        RequestStatus.WITHDRAWN,
    },
    RequestStatus.APPROVED: {
        RequestStatus.ASSIGNED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    },
    RequestStatus.ASSIGNED: {
        RequestStatus.APPROVED,  # the facilitator declined or a party objected
        RequestStatus.SCHEDULED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    },
    RequestStatus.SCHEDULED: {
        RequestStatus.HELD,
        RequestStatus.ASSIGNED,  # meeting cancelled for rescheduling by staff
        RequestStatus.WITHDRAWN,
        RequestStatus.CANCELLED,
    },
    RequestStatus.HELD: {RequestStatus.CLOSED},
    RequestStatus.CLOSED: set(),
    RequestStatus.DENIED: set(),
    RequestStatus.WITHDRAWN: set(),
    RequestStatus.CANCELLED: set(),
}

OPEN_STATUSES = [s for s, targets in TRANSITIONS.items() if targets]

#: Final statuses: the retention period runs from the last move into one of them.
FINAL_STATUSES = [s for s, targets in TRANSITIONS.items() if not targets]

#: What a certificate can say was destroyed (codes are stored; labels are shown).
RETENTION_CATEGORIES = {
    "student": _("Student's name, date of birth, grade and school"),
    "contacts": _("Parent and district contact names, e-mails and phones"),
    "request_text": _(
        "Interpreter and accommodation needs, preferred times, the narrative, the typed "
        "signature, consent and decision notes"
    ),
    "case_notes": _("Internal case notes"),
    "status_reasons": _("Reasons recorded with status changes"),
    "messages": _("E-mail messages: recipients, subjects and texts"),
    "assignment_text": _("Assignment notes, decline and objection reasons"),
    "meeting_details": _(
        "Meeting participants' names and e-mails, location, interpreter, notes, summary, "
        "outcome issues and change reasons"
    ),
    "evaluation_text": _(
        "Evaluation and follow-up comments, facilitator reflections, invitation e-mails"
    ),
}


def category_labels(codes):
    """The labels of destroyed-data category codes, in the current language."""
    return [str(RETENTION_CATEGORIES.get(code, code)) for code in codes]
