"""The placeholders of every message: what an administrator may write between ``{{ }}``.

One entry per :class:`fiep.notifications.Event` (keyed by its value, so this module does
not import ``notifications``): the name, what it is, an example value (the editor's
preview shows a fictional message built from the examples), its kind and whether the
text must contain it. Kinds:

- ``text``: shown as given (names, references, labels already in the reader's language);
- ``url`` (every name ending in ``_url``): a link; required unless said otherwise (a
  message without its link is useless: the consent link of ``consent_requested``, the
  survey link …); the HTML part makes it a link;
- ``date`` / ``month``: a date written in the reader's language ("3 de diciembre de 2026");
- ``computed``: made from other values of the message (``compute(context)``), for example
  the meeting's details block or a link built from an id.

``optional=True`` marks a value that may be empty for some messages (the office's note):
a line of an edited text whose optional placeholder is empty is left out.

A test (``tests/fiep/test_wording.py``) checks that every event has an entry and that the
default text of every message uses only these names and every required one.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .zones import zone_name


@dataclasses.dataclass(frozen=True)
class Placeholder:
    name: str
    description: Any  # lazy text
    example: Any
    kind: str = "text"
    optional: bool = False
    required: bool | None = None  # None: required when kind is "url"
    compute: Callable[[dict], Any] | None = None

    def __post_init__(self):
        if self.name == "url" or self.name.endswith("_url"):
            object.__setattr__(self, "kind", "url")  # every *_url is a link

    @property
    def is_required(self):
        return self.kind == "url" if self.required is None else self.required

    def value(self, context):
        """The text this placeholder stands for in one message (call inside the message's
        language: dates are written in it)."""
        value = self.compute(context) if self.compute else context.get(self.name)
        if value is None:
            return ""
        if self.kind in ("date", "month") and isinstance(value, datetime.date):
            fmt = "YEAR_MONTH_FORMAT" if self.kind == "month" else "DATE_FORMAT"
            return formats.date_format(value, fmt)
        return str(value)


def _meeting_details(context):
    # The same block as the default messages (emails/_meetings_details.txt).
    return render_to_string("emails/_meetings_details.txt", context).strip()


def _meeting_date(context):
    starts = context.get("starts")
    if not starts:
        return ""
    return f"{formats.date_format(starts, 'l')}, {formats.date_format(starts, 'DATE_FORMAT')}"


def _meeting_time(context):
    starts, ends = context.get("starts"), context.get("ends")
    if not starts or not ends:
        return ""
    return (
        f"{formats.time_format(starts, 'TIME_FORMAT')} – "
        f"{formats.time_format(ends, 'TIME_FORMAT')} ({context.get('time_zone', '')})"
    )


def _site_link(name, key):
    def compute(context):
        if context.get(key) in (None, ""):
            return ""
        return settings.SITE_URL + reverse(name, args=[context[key]])

    return compute


STARTS = datetime.datetime(2026, 12, 3, 9, 30)

P = Placeholder
NAME = P("name", _("the recipient's name"), "Rosa Ejemplo")
REFERENCE = P("reference", _("the case's tracking number"), "FIEP-2026-0007")
STUDENT = P("student_name", _("the student's name"), "Lucia Ejemplo")
SCHOOL = P("school_name", _("the student's school"), "Prairie Elementary")
DISTRICT = P("district_name", _("the school district"), "Prairie Hills R-I")
STATUS_URL = P(
    "status_url",
    _("the private link to the request's status page"),
    "https://fiep.example.org/requests/status/t0k3n/",
)
CONSENT_URL = P(
    "consent_url",
    _("the secure link where the other party agrees or declines"),
    "https://fiep.example.org/requests/consent/t0k3n/",
)
OFFICE_MESSAGE = P(
    "message",
    _("the office's message, if it wrote one"),
    "Please bring the last IEP.",
    optional=True,
)
HELD_ON = P("held_on", _("the day the meeting was held"), datetime.date(2026, 11, 20), "date")
EXPIRES_AT = P("expires_at", _("the last day the link works"), datetime.date(2026, 12, 15), "date")
SURVEY_URL = P(
    "survey_url",
    _("the personal survey link"),
    "https://fiep.example.org/evaluations/survey/t0k3n/",
)
CASE = [NAME, REFERENCE, STUDENT, SCHOOL, DISTRICT]
MEETING = [
    NAME,
    REFERENCE,
    P(
        "meeting_details",
        _("the meeting's details: case, date, time, format, place, interpreter, facilitator"),
        "",
        "computed",
        compute=_meeting_details,
    ),
    P("meeting_date", _("the meeting's day and date"), "", "computed", compute=_meeting_date),
    P("meeting_time", _("the meeting's start and end time"), "", "computed", compute=_meeting_time),
    P("format_label", _("in person, video or phone"), "In person"),
    P(
        "location",
        _("the place or the video link"),
        "Prairie Hills district office, Room 4",
        optional=True,
    ),
    P("facilitator_name", _("the facilitator's name"), "Fiona Facilitator", optional=True),
    P("interpreter_language", _("the interpreter's language"), "Spanish", optional=True),
]
MEETING_REASON = P(
    "reason", _("the reason given"), "The family asked to wait until January.", optional=True
)

PLACEHOLDERS = {
    "request_received": [*CASE, STATUS_URL],
    "consent_requested": [*CASE, CONSENT_URL],
    "consent_reminder": [
        *CASE,
        P(
            "expires_on",
            _("the day the request closes without an answer"),
            datetime.date(2026, 12, 15),
            "date",
        ),
        CONSENT_URL,
    ],
    "request_closed": [
        *CASE,
        P("closed_reason", _("why the request closed"), "The district did not agree."),
        STATUS_URL,
    ],
    "request_approved": [*CASE, OFFICE_MESSAGE],
    "request_denied": [
        *CASE,
        P("reason_label", _("why the request is not eligible"), "Duplicate request"),
        OFFICE_MESSAGE,
    ],
    "request_withdrawn": CASE,
    "facilitator_assigned": [
        NAME,
        REFERENCE,
        P("district", _("the school district"), "Prairie Hills R-I"),
        P("region", _("the district's region"), "Northwest"),
        P("meeting_type", _("the type of IEP meeting"), "Annual review", optional=True),
        P(
            "meeting_date",
            _("the meeting date, if already set"),
            datetime.date(2026, 12, 3),
            "date",
            optional=True,
        ),
        P("note", _("the office's note"), "Spanish-speaking family", optional=True),
        P(
            "case_url",
            _("the link to the case in the facilitator's portal"),
            "https://fiep.example.org/facilitators/my/cases/18/",
        ),
    ],
    "facilitator_declined": [
        P("facilitator", _("the facilitator's name"), "Fiona Facilitator"),
        REFERENCE,
        P("reason", _("the reason given"), "A conflict with the district."),
        P(
            "suggestions_url",
            _("the link to the assignment suggestions"),
            "https://fiep.example.org/facilitators/requests/18/suggestions/",
        ),
    ],
    "facilitator_released": [
        NAME,
        REFERENCE,
        P("status", _("the case's status"), "Withdrawn"),
        P(
            "cases_url",
            _("the link to the facilitator's cases"),
            "https://fiep.example.org/facilitators/my/cases/",
        ),
    ],
    "meeting_scheduled": MEETING,
    "meeting_rescheduled": [*MEETING, MEETING_REASON],
    "meeting_cancelled": [
        *MEETING,
        P("reason", _("the reason given"), "The family asked to wait until January."),
    ],
    "meeting_reminder": [*MEETING, P("days", _("days until the meeting"), 2)],
    "outcome_overdue": [
        NAME,
        REFERENCE,
        P("starts", _("the meeting's date"), STARTS, "date"),
        P("due_on", _("the day the outcome was due"), datetime.date(2026, 11, 27), "date"),
        P(
            "outcome_url",
            _("the link to the outcome form"),
            "",
            "url",
            compute=_site_link("meetings:outcome", "meeting_id"),
        ),
    ],
    "evaluation_invitation": [HELD_ON, EXPIRES_AT, SURVEY_URL],
    "evaluation_reminder": [HELD_ON, EXPIRES_AT, SURVEY_URL],
    "facilitator_self_evaluation": [
        NAME,
        REFERENCE,
        HELD_ON,
        EXPIRES_AT,
        P(
            "self_evaluation_url",
            _("the facilitator's self-evaluation link"),
            "https://fiep.example.org/evaluations/self/t0k3n/",
        ),
    ],
    "evaluation_follow_up": [
        HELD_ON,
        EXPIRES_AT,
        P(
            "follow_up_url",
            _("the personal follow-up survey link"),
            "https://fiep.example.org/evaluations/follow-up/t0k3n/",
        ),
    ],
    "claim_returned": [
        NAME,
        P("month", _("the month of the claim"), datetime.date(2026, 11, 1), "month"),
        P("amount", _("the claim's amount"), "150.00"),
        P("comment", _("the office's comment"), "Mileage is missing a receipt."),
        P(
            "claim_url",
            _("the link to the claim"),
            "",
            "url",
            compute=_site_link("meetings:claim", "claim_id"),
        ),
    ],
    "mfa_enrolment": [
        NAME,
        P("username", _("the account's user name"), "rosa"),
        P(
            "url",
            _("the one-time set-up link"),
            "https://fiep.example.org/accounts/mfa/enrol/t0k3n/",
            "url",
        ),
        P("hours", _("hours the link works"), 72),
    ],
    "test_message": [NAME],
    "date_poll": [
        NAME,
        REFERENCE,
        P("format_label", _("in person, video or phone"), "In person"),
        P(
            "location",
            _("the place or the video link"),
            "Prairie Hills district office, Room 4",
            optional=True,
        ),
        P("facilitator_name", _("the facilitator's name"), "Fiona Facilitator", optional=True),
        P(
            "poll_url",
            _("the private link where the party answers which times suit them"),
            "https://fiep.example.org/meetings/poll/t0k3n/",
        ),
    ],
    "consent_given": [NAME, REFERENCE, STUDENT, STATUS_URL],
    "meeting_summary": [
        NAME,
        REFERENCE,
        STUDENT,
        P(
            "when",
            _("the meeting's date and time in words"),
            "Thursday, December 3, 2026 at 9:30 a.m. Central Time",
            optional=True,
        ),
        P("facilitator_name", _("the facilitator's name"), "Fiona Facilitator", optional=True),
        P(
            "summary",
            _("the summary the facilitator wrote for both parties"),
            "The team agreed to add speech therapy twice a week.",
        ),
        P(
            "status_url",
            _("the requester's private status link (the other party's message has none)"),
            "https://fiep.example.org/requests/status/t0k3n/",
            optional=True,
            required=False,
        ),
    ],
}

#: Values of the example message that are not placeholders but that the default texts
#: and the computed placeholders read (ids for links, yes/no switches, the meeting's times).
EXAMPLE_EXTRA = {
    "starts": STARTS,
    "ends": STARTS + datetime.timedelta(hours=1, minutes=30),
    "time_zone": lazy(zone_name, str)(),
    "meeting_id": 12,
    "claim_id": 4,
    "is_requester": True,
    "by_party": False,
}


def placeholders_for(event):
    """``{name: Placeholder}`` of ``event`` (a value or an Event member)."""
    return {p.name: p for p in PLACEHOLDERS[str(event)]}


def example_context(event):
    """A fictional, complete context for ``event``: the editor's preview (no real person's
    data, so nothing to log)."""
    context = dict(EXAMPLE_EXTRA)
    for placeholder in PLACEHOLDERS[str(event)]:
        if placeholder.compute is None:
            context[placeholder.name] = placeholder.example
    return context


#: What each message is, for the wording editor (who gets it, when).
EVENT_TITLES = {
    "request_received": _("Request received (to each party)"),
    "consent_requested": _("Asking the other party to agree"),
    "consent_reminder": _("Reminder to the other party to answer"),
    "request_closed": _("Request closed without agreement"),
    "request_approved": _("Request approved"),
    "request_denied": _("Request not eligible"),
    "request_withdrawn": _("Request withdrawn"),
    "facilitator_assigned": _("Case offered to a facilitator"),
    "facilitator_declined": _("Facilitator declined a case (to the office)"),
    "facilitator_released": _("Case closed before its meeting (to the facilitator)"),
    "meeting_scheduled": _("Meeting scheduled (invitation)"),
    "meeting_rescheduled": _("Meeting moved"),
    "meeting_cancelled": _("Meeting cancelled"),
    "meeting_reminder": _("Meeting reminder"),
    "outcome_overdue": _("Outcome overdue (to the facilitator)"),
    "evaluation_invitation": _("Survey invitation"),
    "evaluation_reminder": _("Survey reminder"),
    "facilitator_self_evaluation": _("Facilitator's self-evaluation"),
    "evaluation_follow_up": _("Follow-up survey: did the agreements hold?"),
    "claim_returned": _("Payment claim returned (to the facilitator)"),
    "mfa_enrolment": _("Two-step log-in set-up link"),
    "test_message": _("Test message"),
    "date_poll": _("Which times suit you (date finding)"),
    "consent_given": _("The other party agreed (to the requester)"),
    "meeting_summary": _("The meeting's shared summary (to each party)"),
}
