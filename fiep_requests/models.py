"""A request for a facilitated IEP meeting, from submission to closing.

Workflow lives in ``services.py``; this module holds fields, constraints and enums.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fiep.models import District, Language

from .enums import (  # noqa: F401  (re-exported: the enums' home is enums.py)
    FINAL_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    ConsentState,
    RequestStatus,
    category_labels,
)

#: The columns the inbox's free-text search reads (``filters.RequestFilter.filter_q``), and
#: the short name of each one's trigram index.
SEARCHED_FIELDS = [
    ("reference", "reference"),
    ("parent_name", "parent"),
    ("student_first_name", "student_first"),
    ("student_last_name", "student_last"),
]


class Requester(models.TextChoices):
    """Who asked. Reports group adult students with parents (``reports.metrics.requesters``)."""

    PARENT = "parent", _("Parent or guardian")
    ADULT_STUDENT = "adult_student", _("Adult student")
    DISTRICT = "district", _("School district staff")
    JOINT = "joint", _("Both parties jointly")


class IntakeChannel(models.TextChoices):
    """How the request reached the office: the online form, or keyed in by staff."""

    ONLINE = "online", _("Online form")
    PHONE = "phone", _("Phone")
    PAPER = "paper", _("Paper form (mail)")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


#: The first line of a keyed-in request's history, per channel (a sentence each, so every
#: language can say it its own way).
ENTERED_FROM = {
    IntakeChannel.PHONE: _("Entered by %(name)s from a phone request"),
    IntakeChannel.PAPER: _("Entered by %(name)s from a paper request (mail)"),
    IntakeChannel.FAX: _("Entered by %(name)s from a fax request"),
    IntakeChannel.EMAIL: _("Entered by %(name)s from an e-mail request"),
    IntakeChannel.IN_PERSON: _("Entered by %(name)s from an in-person request"),
}


class DisabilityCategory(models.TextChoices):
    """The IDEA disability categories (34 CFR 300.8)."""

    AUTISM = "autism", _("Autism")
    DEAF_BLINDNESS = "deaf_blindness", _("Deaf-blindness")
    DEAFNESS = "deafness", _("Deafness")
    DEVELOPMENTAL_DELAY = "developmental_delay", _("Developmental delay")
    EMOTIONAL = "emotional_disturbance", _("Emotional disturbance")
    HEARING = "hearing_impairment", _("Hearing impairment")
    INTELLECTUAL = "intellectual_disability", _("Intellectual disability")
    MULTIPLE = "multiple_disabilities", _("Multiple disabilities")
    ORTHOPEDIC = "orthopedic_impairment", _("Orthopedic impairment")
    OTHER_HEALTH = "other_health_impairment", _("Other health impairment")
    LEARNING = "specific_learning_disability", _("Specific learning disability")
    SPEECH = "speech_language_impairment", _("Speech or language impairment")
    TBI = "traumatic_brain_injury", _("Traumatic brain injury")
    VISUAL = "visual_impairment", _("Visual impairment including blindness")
    NOT_YET = "not_determined", _("Not yet determined")


class MeetingType(models.TextChoices):
    INITIAL = "initial", _("Initial IEP")
    ANNUAL = "annual_review", _("Annual review")
    REEVALUATION = "reevaluation", _("Reevaluation")
    AMENDMENT = "amendment", _("Amendment")
    RECONVENED = "reconvened", _("Reconvened after no agreement")
    OTHER = "other", _("Other")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class Concern(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Eligibility")
    SERVICES = "services", _("Services")
    PLACEMENT = "placement", _("Placement")
    GOALS = "goals", _("Goals")
    BEHAVIOR = "behavior", _("Behavior")
    TRANSITION = "transition", _("Transition")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


def new_token():
    return secrets.token_urlsafe(32)


#: Fields that identify the student or the family, or are free text that may: the
#: retention purge blanks them and the change history never copies them.
IDENTIFYING_FIELDS = [
    "student_first_name",
    "student_last_name",
    "student_birth_date",
    "student_grade",
    "school_name",
    "parent_name",
    "parent_email",
    "parent_phone",
    "parent_address",
    "interpreter_language",
    "accommodations",
    "district_contact_name",
    "district_contact_title",
    "district_contact_email",
    "district_contact_phone",
    "district_contact_address",
    "preferred_times",
    "narrative",
    "signature_name",
    "consent_note",
    "consent_signed_name",
    "consent_ip",
    "consent_given_by",
    "consent_signature_name",
    "decision_message",
    "closed_reason",
]


class FacilitationRequest(models.Model):
    """One request for a facilitated IEP meeting (a "case").

    ``reference`` is the tracking number (``FIEP-2026-0001``) or, for imported history,
    the office's own case number. Imported requests carry no student data.
    """

    reference = models.CharField(_("tracking number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    received_on = models.DateField(_("received on"), db_index=True)
    requested_by = models.CharField(_("requested by"), max_length=20, choices=Requester.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="requests", verbose_name=_("district")
    )
    imported = models.BooleanField(_("imported from history"), default=False)
    #: How the request came in; staff key in phone, paper, fax, e-mail and in-person ones.
    intake_channel = models.CharField(
        _("received by"),
        max_length=20,
        choices=IntakeChannel.choices,
        default=IntakeChannel.ONLINE,
        db_index=True,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    # Student
    student_first_name = models.CharField(_("student's first name"), max_length=100, blank=True)
    student_last_name = models.CharField(_("student's last name"), max_length=100, blank=True)
    student_birth_date = models.DateField(_("student's date of birth"), null=True, blank=True)
    student_grade = models.CharField(_("grade"), max_length=20, blank=True)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    disability_category = models.CharField(
        _("primary disability category"),
        max_length=40,
        choices=DisabilityCategory.choices,
        blank=True,
    )
    has_iep = models.BooleanField(_("an IEP is in place"), null=True, blank=True)

    # Parent / guardian
    parent_name = models.CharField(_("parent or guardian's name"), max_length=200, blank=True)
    parent_email = models.EmailField(_("parent's e-mail"), blank=True)
    parent_phone = models.CharField(_("parent's phone"), max_length=40, blank=True)
    #: Where letters go when the parent has no e-mail address.
    parent_address = models.TextField(_("parent's mailing address"), blank=True)
    parent_language = models.CharField(
        _("parent's preferred language"),
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=60, blank=True)
    accommodations = models.TextField(_("accommodations needed to take part"), blank=True)

    # District contact
    district_contact_name = models.CharField(_("district contact"), max_length=200, blank=True)
    district_contact_title = models.CharField(_("title"), max_length=200, blank=True)
    district_contact_email = models.EmailField(_("district contact e-mail"), blank=True)
    district_contact_phone = models.CharField(
        _("district contact phone"), max_length=40, blank=True
    )
    district_contact_address = models.TextField(_("district contact mailing address"), blank=True)
    # Empty when nobody told the office: the district's pages then follow the browser's
    # language, and e-mails to the district go in English.
    district_contact_language = models.CharField(
        _("district contact's preferred language"),
        max_length=5,
        choices=Language.choices,
        blank=True,
    )

    # The meeting asked for
    meeting_type = models.CharField(
        _("meeting type"), max_length=20, choices=MeetingType.choices, blank=True
    )
    meeting_date_set = models.DateField(_("meeting date already set"), null=True, blank=True)
    preferred_times = models.TextField(_("preferred dates and times"), blank=True)
    preferred_format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, blank=True
    )

    # Concerns
    concerns = models.JSONField(_("concerns"), default=list, blank=True)
    narrative = models.TextField(_("what the disagreement is about"), blank=True)
    other_process_pending = models.BooleanField(
        _("a state complaint, mediation or due process hearing is pending"), default=False
    )

    # The requester's consent and e-signature
    requester_consents = models.BooleanField(_("requester agrees to facilitation"), default=False)
    signature_name = models.CharField(_("signed (typed name)"), max_length=200, blank=True)
    signature_date = models.DateField(_("signature date"), null=True, blank=True)

    # The other party's agreement
    consent_state = models.CharField(
        _("other party's agreement"),
        max_length=20,
        choices=ConsentState.choices,
        default=ConsentState.PENDING,
    )
    consent_token = models.CharField(max_length=64, unique=True, default=new_token)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    consent_reminded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_method = models.CharField(max_length=20, blank=True)  # link, phone, paper
    consent_note = models.TextField(blank=True)
    #: Who answered through the consent link: the full name they typed (their
    #: signature) and the address the answer came from; the time is
    #: ``consent_recorded_at``. Empty when staff recorded a phone or paper answer.
    consent_signed_name = models.CharField(
        _("answered by (typed name)"), max_length=200, blank=True
    )
    consent_ip = models.GenericIPAddressField(_("answered from (address)"), null=True, blank=True)
    #: An answer given on paper or by phone, as staff recorded it: who gave it, the day it
    #: was given and the name as signed (or spelled out on the phone).
    consent_given_by = models.CharField(_("answer given by"), max_length=200, blank=True)
    consent_answered_on = models.DateField(_("answer given on"), null=True, blank=True)
    consent_signature_name = models.CharField(_("signed (typed name)"), max_length=200, blank=True)
    #: The day both parties had agreed: the start of "days to meeting".
    agreed_on = models.DateField(_("both parties agreed on"), null=True, blank=True)

    # Review and closing
    decision_reason = models.CharField(_("reason"), max_length=60, blank=True)
    decision_message = models.TextField(_("message to the parties"), blank=True)
    closed_reason = models.TextField(_("closing reason"), blank=True)

    # Private status link and duplicate-submit guard
    status_token = models.CharField(max_length=64, unique=True, default=new_token)
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    identifying_data_purged_at = models.DateTimeField(
        _("identifying data destroyed on"), null=True, blank=True
    )
    #: The parent (or adult student) asked for their identifying data to be destroyed
    #: (34 CFR 300.624(b)); the next purge removes it.
    destruction_requested_at = models.DateTimeField(
        _("destruction asked for on"), null=True, blank=True
    )

    # Who changed what, when (django-simple-history). Identifying and free-text fields,
    # secrets (tokens) and ``updated_at`` are not copied into the history.
    history = HistoricalRecords(
        excluded_fields=[
            *IDENTIFYING_FIELDS,
            "consent_token",
            "status_token",
            "submission_token",
            "updated_at",
        ]
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("facilitation request")
        verbose_name_plural = _("facilitation requests")
        indexes = [
            models.Index(fields=["district", "received_on"]),
            models.Index(fields=["student_last_name", "student_first_name"]),
            # The inbox's free-text search (``icontains``: ``UPPER(col) LIKE UPPER('%…%')``)
            # through trigram indexes on PostgreSQL (migration 0008 creates them there
            # only; SQLite has neither GIN nor pg_trgm and scans, as before).
            *(
                GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"request_{name}_trgm")
                for field, name in SEARCHED_FIELDS
            ),
            # The program metrics join a period's meetings to their requests for the
            # district, who asked and the agreement date (reports/metrics/parts.py): on
            # PostgreSQL those columns are read from this narrow index alone (an
            # index-only scan of a sixth of the table's pages), not from the table.
            models.Index(
                fields=["id"],
                include=["district", "requested_by", "agreed_on"],
                name="request_metrics_keys",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def student_name(self):
        return f"{self.student_first_name} {self.student_last_name}".strip()


class StatusChange(models.Model):
    """One row per status move: who, when, from, to, why. The case timeline's spine."""

    request = models.ForeignKey(
        FacilitationRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request} {self.from_status}→{self.to_status}"


class CaseNote(models.Model):
    """An internal note by office staff on a case (never shown to the parties)."""

    request = models.ForeignKey(FacilitationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "id"]


class TrackingCounter(models.Model):
    """The last tracking number used per year; incremented under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Submission(models.Model):
    """A request sent through the public form: accepted at once, filed by the worker.

    The form's POST validates, takes the tracking number and writes this one row; the
    beat's "intake" job (``fiep_requests.submissions_file``, every few seconds) then
    creates the FacilitationRequest (its history, the messages to the parties) from
    ``data`` in one transaction, empties ``data`` and links ``request``. The person's
    confirmation page and private status link work from the moment of acceptance
    (reference and status token are taken here and kept by the request). Nothing is lost
    when the broker or the worker is down: the rows wait; filing twice is impossible (the
    row is locked and linked in the filing's transaction).
    """

    reference = models.CharField(_("tracking number"), max_length=40, unique=True)
    status_token = models.CharField(max_length=64, unique=True, default=new_token)
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    #: Asked by both parties together: no consent to ask for (the confirmation says so).
    joint = models.BooleanField(default=False)
    #: The form's cleaned data (``fiep_requests.services.intake.submission_encode``);
    #: emptied once filed.
    data = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    request = models.OneToOneField(
        FacilitationRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submission",
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    #: Filings that failed, the last one's time (tried again a minute later per failure,
    #: up to FIEP_SUBMISSION_MAX_ATTEMPTS).
    attempts = models.PositiveSmallIntegerField(default=0)
    tried_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(request__isnull=True),
                name="submission_unfiled",
            )
        ]

    def __str__(self):
        return self.reference


class DenialReason(models.Model):
    """A reason code staff pick when a request is not eligible; edited in the admin.

    The label is shown to the parties in their language, so it has an English and a
    Spanish text.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label (English)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "label"]
        verbose_name = _("denial reason")
        verbose_name_plural = _("denial reasons")

    def __str__(self):
        return self.label

    def label_in(self, language):
        return self.label_es if language == "es" and self.label_es else self.label


class DestructionReason(models.TextChoices):
    RETENTION = "retention", _("Retention period ended")
    PARENT_REQUEST = "parent_request", _("The parent asked for destruction")


class DestructionCertificate(models.Model):
    """The record that identifying data was destroyed (34 CFR 300.624): what, when, by
    whom and why. It names cases by reference only and holds no personal data.
    """

    created_at = models.DateTimeField(_("destroyed on (UTC)"), auto_now_add=True)
    #: The staff member who ran it; empty when the scheduled task did.
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DestructionReason.choices)
    retention_years = models.PositiveSmallIntegerField(_("retention period (years)"))
    case_count = models.PositiveIntegerField(_("number of cases"))
    case_references = models.JSONField(_("cases"), default=list)
    #: Category codes (``enums.RETENTION_CATEGORIES``) of the data destroyed.
    categories = models.JSONField(_("data destroyed"), default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("destruction certificate")
        verbose_name_plural = _("destruction certificates")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.reason} ({self.case_count})"

    @property
    def category_labels(self):
        return category_labels(self.categories)

    @property
    def performed_by_label(self):
        return str(self.performed_by) if self.performed_by_id else _("scheduled task")
