"""Every write of the roster and of assignments goes through a function here.

Functions are keyword-only, validate, change state inside ``transaction.atomic`` and list
their side effects in the docstring. A request's status changes only through
:func:`fiep_requests.services.request_transition`.
"""

from .assignment import (
    AssignmentRefused,
    assignment_accept,
    assignment_decline,
    assignment_release,
    facilitator_assign,
    objection_record,
)
from .roster import (
    FACILITATOR_FIELDS,
    conflict_add,
    conflict_remove,
    facilitator_profile_update,
    facilitator_save,
    facilitator_trial_review,
    language_get_or_create,
    training_record,
    unavailability_add,
    unavailability_remove,
)
from .suggestions import (
    Candidate,
    assignment_search,
    assignment_suggestions,
    request_dates,
    request_languages,
)

__all__ = [
    "FACILITATOR_FIELDS",
    "AssignmentRefused",
    "Candidate",
    "assignment_accept",
    "assignment_decline",
    "assignment_release",
    "assignment_search",
    "assignment_suggestions",
    "conflict_add",
    "conflict_remove",
    "facilitator_assign",
    "facilitator_profile_update",
    "facilitator_save",
    "facilitator_trial_review",
    "language_get_or_create",
    "objection_record",
    "request_dates",
    "request_languages",
    "training_record",
    "unavailability_add",
    "unavailability_remove",
]
