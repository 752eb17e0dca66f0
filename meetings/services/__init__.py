"""Every write of the meetings app. Keyword-only functions; docstrings list side effects.

Split by concept: ``scheduling`` (schedule, reschedule, cancel, reminders, calendar feed),
``outcome`` (the outcome record, overdue reminders), ``payment`` (time, mileage, claims).
"""

from ..clock import local_zone
from .common import ClaimLocked
from .date_poll import (
    date_poll_answer,
    date_poll_is_open,
    date_poll_propose,
    date_poll_schedule,
    date_poll_url,
)
from .outcome import (
    outcome_due_on,
    outcome_record,
    outcome_unavailable,
    overdue_outcomes_remind,
)
from .past import meeting_record_past
from .payment import (
    case_hours,
    case_hours_cap,
    claim_amounts,
    claim_approve,
    claim_build,
    claim_return,
    claim_submit,
    claims_export_csv,
    time_entry_delete,
    time_entry_log,
)
from .scheduling import (
    calendar_feed_for,
    calendar_feed_reset,
    meeting_cancel,
    meeting_cancel_for_closed_request,
    meeting_reschedule,
    meeting_schedule,
    reminder_due_times,
    reminders_due,
    reminders_send,
)

__all__ = [
    "ClaimLocked",
    "calendar_feed_for",
    "calendar_feed_reset",
    "case_hours",
    "case_hours_cap",
    "claim_amounts",
    "claim_approve",
    "claim_build",
    "claim_return",
    "claim_submit",
    "claims_export_csv",
    "date_poll_answer",
    "date_poll_is_open",
    "date_poll_propose",
    "date_poll_schedule",
    "date_poll_url",
    "local_zone",
    "meeting_cancel",
    "meeting_cancel_for_closed_request",
    "meeting_record_past",
    "meeting_reschedule",
    "meeting_schedule",
    "outcome_due_on",
    "outcome_record",
    "outcome_unavailable",
    "overdue_outcomes_remind",
    "reminder_due_times",
    "reminders_due",
    "reminders_send",
    "time_entry_delete",
    "time_entry_log",
]
