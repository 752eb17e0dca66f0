"""Every write to a facilitation request goes through a function here.

The status of a request changes only through :func:`request_transition`, which checks the
move against ``models.TRANSITIONS`` and records it in the request's history. Messages to
the parties go through :func:`fiep.notifications.notify` (the outbox), inside the same
transaction as the change that caused them.

The functions live in modules by concept (``transition``, ``intake``, ``consent``,
``review``, ``parties``); import them from here.
"""

from .consent import (
    consent_decline,
    consent_give,
    consent_record,
    consent_respond,
    consent_sweep,
)
from .intake import (
    request_accept,
    request_enter,
    request_submit,
    submission_failed,
    submission_file,
    submissions_due,
    submissions_file_due,
    tracking_number_next,
)
from .parties import (
    all_parties,
    consent_url,
    letter_parties,
    other_party,
    requester_parties,
    status_url,
)
from .review import (
    case_note_add,
    request_approve,
    request_cancel,
    request_deny,
    request_withdraw,
)
from .transition import ServiceError, TransitionRefused, request_transition

__all__ = [
    "ServiceError",
    "TransitionRefused",
    "all_parties",
    "case_note_add",
    "consent_decline",
    "consent_give",
    "consent_record",
    "consent_respond",
    "consent_sweep",
    "consent_url",
    "letter_parties",
    "other_party",
    "request_accept",
    "request_approve",
    "request_cancel",
    "request_deny",
    "request_enter",
    "request_submit",
    "request_transition",
    "request_withdraw",
    "requester_parties",
    "status_url",
    "submission_failed",
    "submission_file",
    "submissions_due",
    "submissions_file_due",
    "tracking_number_next",
]
