"""The "world" the security tests request pages against, and the matrix summary.

One district-A case at every stage a URL needs (assigned, scheduled, held with
invitations, evaluations, a self-evaluation, a follow-up, time and a payment claim), a
district-B case for the other facilitator, a report run, dispute statistics, and one user
per role. Built with the shared factories; every object is fictional.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evaluations.models import FacilitatorSelfEvaluation, FollowUp
from facilitators.models import AssignmentStatus, Conflict, Unavailability
from fiep import mfa
from fiep.letters import short_url
from fiep.models import Letter, PrintBatch, Role
from fiep_requests.models import ConsentState, RequestStatus
from fiep_requests.services import consent_url
from meetings.models import (
    CalendarFeed,
    ClaimStatus,
    DatePoll,
    DatePollOption,
    DatePollParty,
    PaymentClaim,
    TimeEntry,
)
from reports.models import HistoryUpload, ReportRun, ReportStatus
from tests import factories

#: Filled by the matrix tests, printed by pytest_terminal_summary.
SUMMARY = {"patterns": set(), "pairs": 0, "extra": 0, "by_outcome": {}, "header_patterns": set()}


def pytest_terminal_summary(terminalreporter):
    if not SUMMARY["patterns"] and not SUMMARY["header_patterns"]:
        return
    terminalreporter.section("access matrix")
    if SUMMARY["patterns"]:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(SUMMARY["by_outcome"].items()))
        terminalreporter.write_line(
            f"access matrix: {len(SUMMARY['patterns'])} URL patterns, "
            f"{SUMMARY['pairs']} (pattern, role) pairs checked ({outcomes})"
        )
        terminalreporter.write_line(
            f"plus {SUMMARY['extra']} method checks (405 over GET on POST-only URLs; "
            "POST by every denied role to GET/POST pages, database unchanged)"
        )
    if SUMMARY["header_patterns"]:
        terminalreporter.write_line(
            f"security headers: {len(SUMMARY['header_patterns'])} URL patterns checked"
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Ten users per world: hashing their passwords properly would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objs: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objs[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _days(n, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World()
    district_a = factories.DistrictFactory()
    district_b = factories.DistrictFactory()
    f1 = factories.FacilitatorFactory(with_user=True)
    f2 = factories.FacilitatorFactory(with_user=True)
    f_replaced = factories.FacilitatorFactory(with_user=True)
    f_declined = factories.FacilitatorFactory(with_user=True)
    f_released = factories.FacilitatorFactory(with_user=True)
    w.users = {
        "liaison_same": factories.liaison_user(district_a),
        "liaison_other": factories.liaison_user(district_b),
        "facilitator_assigned": f1.user,
        "facilitator_other": f2.user,
        "facilitator_replaced": f_replaced.user,
        "facilitator_declined": f_declined.user,
        "facilitator_released": f_released.user,
        "staff": factories.staff_user(),
        # As in the demo data: the administrator is also a Django superuser.
        "admin": factories.admin_user(is_staff=True, is_superuser=True),
        "norole": factories.UserFactory(),
    }
    # Approved, waiting for a facilitator (suggestions, assign, objection).
    approved = factories.FacilitationRequestFactory(
        district=district_a, status=RequestStatus.APPROVED
    )
    # Assigned to F1 (accepted), no meeting yet (schedule); consent still pending so the
    # consent page shows its form.
    assigned = factories.AssignmentFactory(
        request__district=district_a, facilitator=f1, status=AssignmentStatus.ACCEPTED
    ).request
    # An offer F1 has not answered yet (accept / decline).
    offered = factories.AssignmentFactory(
        request__district=district_a, facilitator=f1, status=AssignmentStatus.OFFERED
    ).request
    awaiting = factories.FacilitationRequestFactory(
        district=district_a,
        status=RequestStatus.AWAITING_CONSENT,
        consent_state=ConsentState.PENDING,
    )
    # Scheduled meeting in the future, F1 (the live, accepted assignment). Its
    # ``Meeting.facilitator`` is still F3, replaced after an objection: that field records
    # who was scheduled last and must never decide access (issue 15, M-1).
    scheduled = factories.MeetingFactory(
        request__district=district_a,
        facilitator=f_replaced,
        starts_at=_days(7),
        ends_at=_days(7, 12),
        assign=False,
    )
    factories.AssignmentFactory(
        request=scheduled.request, facilitator=f1, status=AssignmentStatus.ACCEPTED
    )
    factories.ParticipantFactory(meeting=scheduled, role="parent")
    # Held meeting, F1: invitations, an evaluation, a self-evaluation, a follow-up, time.
    held = factories.MeetingFactory(
        held=True,
        request__district=district_a,
        facilitator=f1,
        starts_at=_days(-3),
        ends_at=_days(-3, 12),
    )
    factories.ParticipantFactory(meeting=held, role="parent")
    # F3-F5 held every F1 case before and lost it: replaced, declined, released.
    for case in (assigned, offered, scheduled.request, held.request):
        for removed, status in (
            (f_replaced, AssignmentStatus.REPLACED),
            (f_declined, AssignmentStatus.DECLINED),
            (f_released, AssignmentStatus.RELEASED),
        ):
            factories.AssignmentFactory(request=case, facilitator=removed, status=status)
    invitation = factories.EvaluationInvitationFactory(meeting=held)
    other_invitation = factories.EvaluationInvitationFactory(meeting=held)
    factories.EvaluationFactory(meeting=held, invitation=other_invitation)
    expires = timezone.now() + datetime.timedelta(days=21)
    self_evaluation = FacilitatorSelfEvaluation.objects.create(
        meeting=held, facilitator=f1, expires_at=expires
    )
    follow_up = FollowUp.objects.create(
        meeting=held, invitation=other_invitation, email="fu@example.org", expires_at=expires
    )
    month = timezone.localdate().replace(day=1)
    claim = PaymentClaim.objects.create(
        facilitator=f1, month=month, status=ClaimStatus.DRAFT, hourly_rate=Decimal("75.00")
    )
    time_entry = TimeEntry.objects.create(
        meeting=held,
        facilitator=f1,
        worked_on=timezone.localdate(),
        kind="preparation",
        hours=Decimal("1.5"),
    )
    feed = CalendarFeed.objects.create(facilitator=f1, token="feed-token-f1-" + "x" * 30)
    # An open date poll on the assigned case (find a date; a party's answer link).
    date_poll = DatePoll.objects.create(request=assigned, format="video")
    date_option = DatePollOption.objects.create(
        poll=date_poll, starts_at=_days(9), ends_at=_days(9, 12)
    )
    date_party = DatePollParty.objects.create(
        poll=date_poll, role="parent", email="poll@example.org", token="poll-token-" + "z" * 32
    )
    CalendarFeed.objects.create(facilitator=f2, token="feed-token-f2-" + "y" * 30)
    # F2's own case in district B, so F2 is a real facilitator with work elsewhere.
    other_meeting = factories.MeetingFactory(
        request__district=district_b, facilitator=f2, starts_at=_days(5), ends_at=_days(5, 12)
    )
    unavailability = Unavailability.objects.create(
        facilitator=f1, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    conflict = Conflict.objects.create(
        facilitator=f1, district=district_b, reason="Former employee"
    )
    run = ReportRun.objects.create(
        requested_by=w.users["staff"],
        start=datetime.date(2024, 7, 1),
        end=datetime.date(2025, 6, 30),
        status=ReportStatus.DONE,
    )
    run.file.save("annual.pdf", ContentFile(b"%PDF-1.4 fictional"), save=True)
    dispute = factories.DisputeStatisticsFactory(start_year=2016)
    history_upload = HistoryUpload.objects.create(
        uploaded_by=w.users["staff"], files=["districts.csv"], status=ReportStatus.DONE
    )
    reset_user = factories.UserFactory()  # not a matrix role: never logged in here
    _link, mfa_url = mfa.enrolment_link_send(user=w.users["staff"])
    batch = PrintBatch.objects.create(created_by=w.users["staff"])
    letter = Letter.objects.create(
        event="request_approved",
        dedupe_key="world-letter",
        recipient_name="World Parent",
        recipient_address="1 Main St\nTown, MO 65000",
        language="en",
        subject=f"Facilitated IEP request {scheduled.request.reference} approved",
        body_text=f"About {scheduled.request.student_name}.",
        case_reference=scheduled.request.reference,
        batch=batch,
    )
    short = short_url(consent_url(awaiting)).rstrip("/").rsplit("/", 1)[1]
    w.objs = {
        "history_upload": history_upload,
        "district_a": district_a,
        "district_b": district_b,
        "f1": f1,
        "f2": f2,
        "f_replaced": f_replaced,
        "f_declined": f_declined,
        "f_released": f_released,
        "approved": approved,
        "assigned": assigned,
        "offered": offered,
        "awaiting": awaiting,
        "scheduled": scheduled,
        "held": held,
        "invitation": invitation,
        "self_evaluation": self_evaluation,
        "follow_up": follow_up,
        "claim": claim,
        "time_entry": time_entry,
        "feed": feed,
        "date_poll": date_poll,
        "date_option": date_option,
        "date_party": date_party,
        "other_meeting": other_meeting,
        "unavailability": unavailability,
        "conflict": conflict,
        "run": run,
        "dispute": dispute,
        "reset_uid": urlsafe_base64_encode(force_bytes(reset_user.pk)),
        "reset_token": default_token_generator.make_token(reset_user),
        "mfa_token": mfa_url.rstrip("/").rsplit("/", 1)[1],
        "batch": batch,
        "letter": letter,
        "short_code": short,
    }
    return w


ROLE_NAMES = [r.value for r in Role]
