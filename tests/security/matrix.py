"""The access matrix: for every URL pattern, how to request it and what each role gets.

Outcomes: ``allow`` (2xx, a 3xx that is not a log-in redirect, or 400 for an empty POST
form), ``login`` (redirect to the log-in page), ``403``, ``404``, ``405`` and
``invalid-link`` (the password-reset page saying the link is not valid).

Roles: ``anonymous``; ``requester`` and ``requester_wrong_token`` (no login; the URL's
own token, or a token of another object/kind) on token URLs only; ``liaison_same`` and
``liaison_other`` (district liaison of the case's district / of another);
``facilitator_assigned`` (F1, on every world case) and ``facilitator_other`` (F2);
``facilitator_replaced``, ``facilitator_declined`` and ``facilitator_released`` (F3-F5:
each once held the world's cases and lost them by an objection, by declining, by a
release; F3 is still the scheduled meeting's ``Meeting.facilitator``, as after a meeting
called off for a new date and an objection): outside the cases now, like F2;
``staff`` (office staff), ``admin`` (administrator), ``norole`` (logged in, no group).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

A, L, F, N = "allow", "login", "403", "404"

LOGGED_IN = [
    "liaison_same",
    "liaison_other",
    "facilitator_assigned",
    "facilitator_other",
    "facilitator_replaced",
    "facilitator_declined",
    "facilitator_released",
    "staff",
    "admin",
    "norole",
]
ROLES = ["anonymous", "requester", "requester_wrong_token", *LOGGED_IN]
TOKEN_ROLES = ["requester", "requester_wrong_token", *LOGGED_IN]
PLAIN_ROLES = ["anonymous", *LOGGED_IN]


@dataclass
class Entry:
    method: str
    expect: dict
    #: ``kwargs(world, role)`` → the URL's keyword arguments for that role.
    kwargs: Callable = lambda w, role: {}
    query: str = ""
    #: Extra set-up of the client (e.g. a session value) before the request.
    prepare: Callable | None = None
    #: Tables a GET may legitimately write to, with the reason (no-state-change test).
    get_writes: dict = field(default_factory=dict)

    @property
    def post_only(self):
        return self.method == "POST"


def plain(staff=A, admin=A, anonymous=L, norole=F, liaison=F, facilitator=F, **over):
    """Expectations for a URL without a token: the common shape, then overrides."""
    expect = {
        "anonymous": anonymous,
        "liaison_same": liaison,
        "liaison_other": liaison,
        "facilitator_assigned": facilitator,
        "facilitator_other": facilitator,
        "staff": staff,
        "admin": admin,
        "norole": norole,
    }
    expect.update(over)
    # A facilitator removed from the world's cases is outside them, like F2.
    for removed in REMOVED_FACILITATORS:
        expect.setdefault(removed, expect["facilitator_other"])
    return expect


#: Facilitators who held the world's cases and were replaced, declined or released.
REMOVED_FACILITATORS = ["facilitator_replaced", "facilitator_declined", "facilitator_released"]


PUBLIC = plain(anonymous=A, norole=A, liaison=A, facilitator=A)
STAFF_ONLY = plain()
_WORDING = {"event": "consent_requested", "channel": "email", "language": "es"}
ADMIN_ONLY = plain(staff=F)
ANY_ROLE = plain(liaison=A, facilitator=A)
#: A student's case: the district's liaison and the assigned facilitator see it;
#: other liaisons/facilitators get 404 (outside their scope), no role 403.
CASE = plain(liaison_same=A, liaison_other=N, facilitator_assigned=A, facilitator_other=N)
#: The facilitator portal: only facilitators on the roster; another's object is 404.
PORTAL = plain(staff=F, admin=F, facilitator=A)
PORTAL_OBJECT = plain(staff=F, admin=F, facilitator_assigned=A, facilitator_other=N)
#: A meeting (or its claim): program staff and the meeting's facilitator.
MEETING = plain(facilitator_assigned=A, facilitator_other=N)
#: Logging time: only the meeting's own facilitator (staff review claims instead).
MEETING_FACILITATOR = plain(staff=F, admin=F, facilitator_assigned=A, facilitator_other=N)
#: Removing a time entry: its author (while they hold the case) or program staff.
TIME_ENTRY = plain(facilitator_assigned=A, facilitator_other=N)


def token(allowed=A, wrong=N):
    """A personal-link URL: the token opens its own object for anybody holding it."""
    expect = dict.fromkeys(TOKEN_ROLES, allowed)
    expect["requester_wrong_token"] = wrong
    return expect


def tok(own, wrong):
    """kwargs for a token URL: ``own(world)`` or, for the wrong-token role, ``wrong(world)``."""
    return lambda w, role: {"token": wrong(w) if role == "requester_wrong_token" else own(w)}


def _with_logo(client, w, role):
    """An administrator has set a logo (the logo URL is 404 without one)."""
    from django.core.cache import cache  # noqa: PLC0415

    from fiep.branding import CACHE_KEY  # noqa: PLC0415
    from fiep.models import Branding  # noqa: PLC0415

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
        b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
        b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    Branding.objects.update_or_create(
        pk=1, defaults={"logo": png, "logo_width": 1, "logo_height": 1, "logo_alt_en": "Logo"}
    )
    cache.delete(CACHE_KEY)


def _submitted_session(client, w, role):
    # The confirmation page reads the submitter's signed cookie (no session row).
    from fiep_requests.models import Submission
    from fiep_requests.views.public import SUBMITTED_COOKIE, submitted_cookie_value

    if role == "requester":
        # The public form's submission of that request (filed).
        submission, _ = Submission.objects.get_or_create(
            request=w.awaiting,
            defaults={"reference": w.awaiting.reference, "status_token": w.awaiting.status_token},
        )
        client.cookies[SUBMITTED_COOKIE] = submitted_cookie_value(submission.pk)
    elif role == "requester_wrong_token":
        client.cookies[SUBMITTED_COOKIE] = submitted_cookie_value(0)


def _reset_kwargs(w, role):
    if role == "requester_wrong_token":
        return {"uidb64": w.reset_uid, "token": "bad-bad-token"}
    return {"uidb64": w.reset_uid, "token": w.reset_token}


MATRIX = {
    # --- core -------------------------------------------------------------------------
    "home": Entry("GET", PUBLIC),
    "faq": Entry("GET", PUBLIC),
    "health": Entry("GET", PUBLIC),
    "favicon": Entry("GET", PUBLIC),
    "staff-home": Entry("GET", ANY_ROLE),
    "access-log": Entry("GET", ADMIN_ONLY),
    "branding-settings": Entry("GET", ADMIN_ONLY),
    "branding-css": Entry("GET", PUBLIC),
    "branding-logo": Entry("GET", PUBLIC, prepare=_with_logo),
    "access-record-print": Entry("GET", STAFF_ONLY, query="?case={w.scheduled.request.reference}"),
    "people-with-access": Entry("GET", STAFF_ONLY),
    "outbox-undelivered": Entry("GET", STAFF_ONLY),
    "wording-list": Entry("GET", ADMIN_ONLY),
    "wording-edit": Entry("GET", ADMIN_ONLY, kwargs=lambda w, r: _WORDING),
    "wording-history": Entry("GET", ADMIN_ONLY, kwargs=lambda w, r: _WORDING),
    "wording-reset": Entry("POST", ADMIN_ONLY, kwargs=lambda w, r: _WORDING),
    # The print batch (letters to parties without e-mail): program staff only.
    "letters": Entry("GET", STAFF_ONLY),
    "letters-batch": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.batch.pk}),
    "letters-pdf": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.batch.pk}),
    "letters-mailed": Entry("POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.batch.pk}),
    "letter-pdf": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.letter.pk}),
    # A short link printed in a letter: its own code goes on to the consent page.
    "short-link": Entry(
        "GET",
        token(),
        kwargs=lambda w, role: {
            "code": w.short_code[:-1] + ("A" if w.short_code[-1] != "A" else "B")
            if role == "requester_wrong_token"
            else w.short_code
        },
    ),
    "login": Entry("GET", PUBLIC),
    "mfa-verify": Entry("GET", plain(liaison=A, facilitator=A, norole=A)),
    # Without a set-up link (or a verified session) the page only explains how to get one.
    "mfa-setup": Entry("GET", plain(liaison=A, facilitator=A, norole=A)),
    # The one-time set-up link of the staff user: opens for that user only.
    "mfa-enrol": Entry(
        "GET",
        plain(staff=A, admin=N, liaison=N, facilitator=N, norole=N),
        kwargs=lambda w, r: {"token": w.mfa_token},
    ),
    "mfa-recovery-codes": Entry("POST", plain(liaison=A, facilitator=A, norole=A)),
    "logout": Entry("POST", PUBLIC),
    "password_reset": Entry("GET", PUBLIC),
    "password_reset_done": Entry("GET", PUBLIC),
    "password_reset_confirm": Entry("GET", token(wrong="invalid-link"), kwargs=_reset_kwargs),
    "password_reset_complete": Entry("GET", PUBLIC),
    # --- requests ---------------------------------------------------------------------
    "fiep_requests:new": Entry("GET", PUBLIC),
    "fiep_requests:materials": Entry("GET", PUBLIC),
    "fiep_requests:procedures": Entry("GET", PUBLIC),
    "fiep_requests:material-download": Entry(
        "GET", PUBLIC, kwargs=lambda w, role: {"kind": "flyer", "language": "es"}
    ),
    "fiep_requests:submitted": Entry(
        "GET",
        {**dict.fromkeys(LOGGED_IN, N), "requester": A, "requester_wrong_token": N},
        prepare=_submitted_session,
    ),
    "fiep_requests:status": Entry(
        "GET",
        token(),
        kwargs=tok(lambda w: w.awaiting.status_token, lambda w: w.awaiting.consent_token),
    ),
    "fiep_requests:consent": Entry(
        "GET",
        token(),
        kwargs=tok(lambda w: w.awaiting.consent_token, lambda w: w.awaiting.status_token),
    ),
    "fiep_requests:enter": Entry("GET", STAFF_ONLY),
    "fiep_requests:inbox": Entry("GET", plain(liaison=A)),
    "fiep_requests:inbox-export": Entry("GET", plain(liaison=A)),
    "fiep_requests:case": Entry(
        "GET", CASE, kwargs=lambda w, role: {"reference": w.scheduled.request.reference}
    ),
    "fiep_requests:case-action": Entry(
        "POST",
        plain(liaison_same=F, liaison_other=N, facilitator_assigned=F, facilitator_other=N),
        kwargs=lambda w, role: {"reference": w.scheduled.request.reference, "action": "note"},
    ),
    "fiep_requests:destruction-certificates": Entry("GET", STAFF_ONLY),
    # --- facilitators -----------------------------------------------------------------
    "facilitators:roster": Entry("GET", STAFF_ONLY),
    "facilitators:roster-export": Entry("GET", STAFF_ONLY),
    "facilitators:new": Entry("GET", STAFF_ONLY),
    "facilitators:detail": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}),
    "facilitators:edit": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}),
    "facilitators:training-add": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}),
    "facilitators:unavailability-add": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}
    ),
    "facilitators:unavailability-delete": Entry(
        "POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk, "item_pk": w.unavailability.pk}
    ),
    "facilitators:conflict-add": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}),
    "facilitators:conflict-delete": Entry(
        "POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk, "item_pk": w.conflict.pk}
    ),
    "facilitators:suggestions": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"request_pk": w.approved.pk}
    ),
    "facilitators:assign": Entry(
        "POST", STAFF_ONLY, kwargs=lambda w, r: {"request_pk": w.approved.pk}
    ),
    "facilitators:objection": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"request_pk": w.assigned.pk}
    ),
    "facilitators:my-cases": Entry("GET", PORTAL),
    "facilitators:my-case": Entry("GET", PORTAL_OBJECT, kwargs=lambda w, r: {"pk": w.assigned.pk}),
    "facilitators:my-case-accept": Entry(
        "POST", PORTAL_OBJECT, kwargs=lambda w, r: {"pk": w.offered.pk}
    ),
    "facilitators:my-case-decline": Entry(
        "POST", PORTAL_OBJECT, kwargs=lambda w, r: {"pk": w.offered.pk}
    ),
    "facilitators:my-profile": Entry("GET", PORTAL),
    "facilitators:my-unavailability-add": Entry("POST", PORTAL),
    "facilitators:my-unavailability-delete": Entry(
        "POST", PORTAL_OBJECT, kwargs=lambda w, r: {"item_pk": w.unavailability.pk}
    ),
    # --- meetings ---------------------------------------------------------------------
    "meetings:calendar": Entry("GET", STAFF_ONLY),
    "meetings:mine": Entry(
        "GET",
        PORTAL,
        get_writes={
            "meetings_calendarfeed": "the private feed address is made on first view "
            "(get_or_create: no personal data, the same address on every later view)"
        },
    ),
    "meetings:feed-reset": Entry("POST", PORTAL),
    "meetings:feed": Entry(
        "GET", token(), kwargs=tok(lambda w: w.feed.token, lambda w: w.invitation.token)
    ),
    "meetings:schedule": Entry("GET", MEETING, kwargs=lambda w, r: {"request_id": w.assigned.pk}),
    "meetings:record-past": Entry(
        "GET", MEETING, kwargs=lambda w, r: {"request_id": w.assigned.pk}
    ),
    "meetings:find-date": Entry("GET", MEETING, kwargs=lambda w, r: {"request_id": w.assigned.pk}),
    "meetings:date-poll-schedule": Entry(
        "POST",
        MEETING,
        kwargs=lambda w, r: {"pk": w.date_poll.pk, "option_id": w.date_option.pk},
    ),
    "meetings:date-poll-answer": Entry(
        "GET", token(), kwargs=tok(lambda w: w.date_party.token, lambda w: w.invitation.token)
    ),
    "meetings:detail": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.scheduled.pk}),
    "meetings:reschedule": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.scheduled.pk}),
    "meetings:cancel": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.scheduled.pk}),
    "meetings:outcome": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.scheduled.pk}),
    "meetings:summary": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.held.pk}),
    "meetings:time": Entry("GET", MEETING_FACILITATOR, kwargs=lambda w, r: {"pk": w.held.pk}),
    "meetings:time-delete": Entry(
        "POST",
        TIME_ENTRY,
        kwargs=lambda w, r: {"pk": w.held.pk, "entry_id": w.time_entry.pk},
    ),
    "meetings:claims": Entry("GET", plain(facilitator=A)),
    "meetings:claim": Entry("GET", MEETING, kwargs=lambda w, r: {"pk": w.claim.pk}),
    "meetings:claims-csv": Entry("GET", STAFF_ONLY),
    # --- evaluations ------------------------------------------------------------------
    "evaluations:survey": Entry(
        "GET", token(), kwargs=tok(lambda w: w.invitation.token, lambda w: w.follow_up.token)
    ),
    "evaluations:thanks": Entry("GET", PUBLIC),
    "evaluations:self-evaluation": Entry(
        "GET",
        token(),
        kwargs=tok(lambda w: w.self_evaluation.token, lambda w: w.invitation.token),
    ),
    "evaluations:self-thanks": Entry("GET", PUBLIC),
    "evaluations:follow-up": Entry(
        "GET",
        token(),
        kwargs=tok(lambda w: w.follow_up.token, lambda w: w.self_evaluation.token),
    ),
    "evaluations:tracking": Entry("GET", STAFF_ONLY),
    "evaluations:meeting": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:invite": Entry("POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:participant-add": Entry("POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:responses": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:paper-entry": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:paper-form": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.held.pk}),
    "evaluations:resend": Entry("POST", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.invitation.pk}),
    "evaluations:my-feedback": Entry("GET", PORTAL),
    "evaluations:facilitator-feedback": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.f1.pk}
    ),
    # --- reports ----------------------------------------------------------------------
    "reports:dashboard": Entry("GET", STAFF_ONLY),
    "reports:export": Entry(
        "GET",
        STAFF_ONLY,
        kwargs=lambda w, r: {"fmt": "csv"},
        query="?start=2024-07-01&end=2025-06-30",
    ),
    "reports:spotlight-download": Entry(
        "GET", STAFF_ONLY, query="?start=2024-07-01&end=2025-06-30&language=es"
    ),
    "reports:records": Entry(
        "GET",
        STAFF_ONLY,
        kwargs=lambda w, r: {"figure": "meetings_held"},
        query="?start=2024-07-01&end=2025-06-30",
    ),
    "reports:runs": Entry("GET", STAFF_ONLY),
    "reports:run-create": Entry("POST", STAFF_ONLY),
    "reports:run": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.run.pk}),
    "reports:run-download": Entry("GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.run.pk}),
    "reports:history-import": Entry("GET", STAFF_ONLY),
    "reports:history-upload": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.history_upload.pk}
    ),
    "reports:history-upload-progress": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"pk": w.history_upload.pk}
    ),
    "reports:disputes-list": Entry("GET", STAFF_ONLY),
    "reports:disputes-add": Entry("GET", STAFF_ONLY),
    "reports:disputes-edit": Entry(
        "GET", STAFF_ONLY, kwargs=lambda w, r: {"start_year": w.dispute.start_year}
    ),
}
