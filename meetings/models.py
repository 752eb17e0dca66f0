"""The facilitated meeting, its outcome, time and mileage, and payment claims."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilitators.models import Facilitator
from fiep.models import Language
from fiep_requests.models import FacilitationRequest, MeetingFormat


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("Not held: a party did not come")
    CANCELLED = "cancelled", _("Cancelled")


class Consensus(models.TextChoices):
    """The figure the program is judged by."""

    ALL = "all", _("Consensus on all issues")
    SOME = "some", _("Consensus on some issues")
    NONE = "none", _("No consensus")


class NextStep(models.TextChoices):
    NONE = "none", _("None")
    RECONVENE = "reconvene", _("Reconvene")
    MEDIATION = "mediation", _("Mediation")
    STATE_COMPLAINT = "state_complaint", _("State complaint")
    DUE_PROCESS = "due_process", _("Due process")


class ParticipantRole(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    STUDENT = "student", _("Student")
    GENERAL_EDUCATOR = "general_educator", _("General educator")
    SPECIAL_EDUCATOR = "special_educator", _("Special educator")
    ADMINISTRATOR = "administrator", _("Administrator")
    RELATED_SERVICES = "related_services", _("Related services provider")
    ADVOCATE = "advocate", _("Advocate")
    OTHER = "other", _("Other")


class HeldResult(models.TextChoices):
    """What the facilitator reports happened on the day."""

    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("Not held: a party did not come")
    CANCELLED_AT_TABLE = "cancelled_at_table", _("Cancelled at the table")


class Meeting(models.Model):
    """The facilitated IEP meeting of one request.

    ``held_on`` is the date it was held (the date every report counts by); imported
    history has only that date, no times.
    """

    request = models.OneToOneField(
        FacilitationRequest, on_delete=models.CASCADE, related_name="meeting"
    )
    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, db_index=True
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices, blank=True)
    location = models.CharField(_("location or link"), max_length=300, blank=True)
    interpreter_language = models.CharField(_("interpreter booked"), max_length=60, blank=True)
    # Calendar identity: stable UID, SEQUENCE bumped on every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancel_reason = models.TextField(blank=True)

    # Outcome
    held_on = models.DateField(_("held on"), null=True, blank=True, db_index=True)
    actual_start = models.TimeField(null=True, blank=True)
    actual_end = models.TimeField(null=True, blank=True)
    consensus = models.CharField(
        _("consensus"), max_length=5, choices=Consensus.choices, blank=True
    )
    iep_completed = models.BooleanField(_("IEP completed"), null=True, blank=True)
    next_step = models.CharField(
        _("next step"), max_length=20, choices=NextStep.choices, blank=True
    )
    private_notes = models.TextField(_("facilitator's private notes"), blank=True)
    shared_summary = models.TextField(_("summary for the parties"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported = models.BooleanField(_("imported from history"), default=False)
    # Added in 0002: what happened on the day, attendance by role, and when the current
    # date was set (reminders whose time had already passed then are not sent).
    held_result = models.CharField(
        _("was the meeting held?"), max_length=20, choices=HeldResult.choices, blank=True
    )
    attendance = models.JSONField(_("attendees by role"), default=dict, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: Participant-facing and free text the retention purge blanks; never in the history.
    IDENTIFYING_FIELDS = [
        "location",
        "interpreter_language",
        "cancel_reason",
        "private_notes",
        "shared_summary",
    ]
    # Change history of the meeting and its outcome (who, when, which fields).
    history = HistoricalRecords(excluded_fields=[*IDENTIFYING_FIELDS, "updated_at"])

    class Meta:
        ordering = ["starts_at", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="held") | Q(held_on__isnull=True),
                name="meeting_held_on_only_when_held",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_on__isnull=False),
                name="meeting_held_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="held") | Q(consensus=""),
                name="meeting_consensus_only_when_held",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "held_on"]),
            # The held meetings of a period, id and date from the index alone (the
            # evaluation tracking page's counts by school year).
            models.Index(
                fields=["held_on", "id"], condition=Q(status="held"), name="meeting_held_on_id"
            ),
        ]

    def __str__(self):
        return f"{self.request.reference} meeting"


class Participant(models.Model):
    """Someone expected at the meeting (and later invited to evaluate it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["role", "id"]


class OutcomeIssue(models.Model):
    """An issue discussed at the meeting, marked resolved or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="issues")
    description = models.CharField(_("issue"), max_length=300)
    resolved = models.BooleanField(_("resolved"), default=False)


class TimeKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    MEETING = "meeting", _("Meeting")
    FOLLOW_UP = "follow_up", _("Follow-up")
    TRAVEL = "travel", _("Travel")


class TimeEntry(models.Model):
    """Hours and miles a facilitator logs on a case."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="time_entries")
    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.PROTECT, related_name="time_entries"
    )
    worked_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=TimeKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=0)
    miles = models.DecimalField(_("miles"), max_digits=7, decimal_places=1, default=0)
    justification = models.TextField(_("justification (over the cap)"), blank=True)
    claim = models.ForeignKey(
        "PaymentClaim", on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )

    class Meta:
        ordering = ["worked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(miles__gte=0), name="time_entry_not_negative"
            )
        ]


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class PaymentClaim(models.Model):
    """A facilitator's monthly claim, built from their time entries at their rates.

    ``supplement`` 0 is the month's original claim; 1, 2 … are supplemental claims for
    time logged for that month after the claims before were submitted or approved. A time
    entry is in at most one claim: it holds one ``claim`` foreign key.
    """

    facilitator = models.ForeignKey(Facilitator, on_delete=models.PROTECT, related_name="claims")
    month = models.DateField(_("month"), help_text="the first day of the month claimed")
    supplement = models.PositiveSmallIntegerField(
        _("supplement"),
        default=0,
        help_text="0: the month's original claim; 1, 2 …: supplemental claims for late time",
    )
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    miles = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    mileage_rate = models.DecimalField(max_digits=5, decimal_places=3, default=0)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "facilitator", "supplement"]
        # The claims page's order (newest month first, keyset pages) starts from these
        # indexes: every claim, or the claims of one status (the status filter).
        indexes = [
            models.Index(fields=["month"], name="paymentclaim_month"),
            models.Index(fields=["status", "month"], name="paymentclaim_status_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "month", "supplement"],
                name="one_claim_per_facilitator_month_supplement",
            ),
            # At most one claim of a month is open (draft or returned) at a time: late time
            # goes into it, never into a second open claim.
            models.UniqueConstraint(
                fields=["facilitator", "month"],
                condition=Q(status__in=["draft", "returned"]),
                name="one_open_claim_per_facilitator_month",
            ),
        ]

    @property
    def is_supplemental(self):
        return self.supplement > 0


class MeetingChangeKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Meeting scheduled")
    RESCHEDULED = "rescheduled", _("Meeting rescheduled")
    CANCELLED = "cancelled", _("Meeting cancelled")
    OUTCOME = "outcome", _("Outcome recorded")
    RECORDED_PAST = "recorded_past", _("Past meeting recorded after the fact")


class MeetingChange(models.Model):
    """Who scheduled, moved, cancelled a meeting or recorded its outcome, when and why.

    The meeting row holds only the latest state; this is its history for the case timeline.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=MeetingChangeKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class CalendarFeed(models.Model):
    """A facilitator's private calendar subscription: an unguessable token in the URL."""

    facilitator = models.OneToOneField(
        Facilitator, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class DatePollState(models.TextChoices):
    OPEN = "open", _("Open")
    REPLACED = "replaced", _("Replaced by newer times")
    SCHEDULED = "scheduled", _("A time was chosen")
    CLOSED = "closed", _("Closed")


class DatePoll(models.Model):
    """Up to four candidate times for a case's meeting, put to the parties by link.

    One open poll per case: proposing again replaces it (its links then say so).
    """

    request = models.ForeignKey(
        FacilitationRequest, on_delete=models.CASCADE, related_name="date_polls"
    )
    state = models.CharField(
        max_length=10, choices=DatePollState.choices, default=DatePollState.OPEN
    )
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices)
    location = models.CharField(_("location or link"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state="open"),
                name="one_open_date_poll_per_request",
            )
        ]


class DatePollOption(models.Model):
    """One candidate time of a poll."""

    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="date_poll_option_ends_after_start",
            )
        ]


class DatePollParty(models.Model):
    """A party asked to answer the poll, with their private link's token."""

    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    token = models.CharField(max_length=64, unique=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Availability(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEED_BE = "if_need_be", _("If need be")
    NO = "no", _("No")


class DatePollAnswer(models.Model):
    """One party's answer for one candidate time."""

    party = models.ForeignKey(DatePollParty, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(DatePollOption, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(max_length=10, choices=Availability.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "option"], name="one_answer_per_party_option")
        ]
