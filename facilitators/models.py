"""The facilitator roster and assignments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest


class SpokenLanguage(models.Model):
    """A language a facilitator speaks besides English (e.g. Spanish, Vietnamese)."""

    name = models.CharField(_("language"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContractStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Facilitator(models.Model):
    """A trained, neutral facilitator under contract with the state."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator",
    )
    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="facilitators")
    languages = models.ManyToManyField(SpokenLanguage, blank=True, related_name="facilitators")
    background = models.TextField(_("background"), blank=True)
    contract_status = models.CharField(
        _("contract status"),
        max_length=10,
        choices=ContractStatus.choices,
        default=ContractStatus.TRIAL,
    )
    vendor_number = models.CharField(_("vendor/contract number"), max_length=60, blank=True)
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    mileage_rate = models.DecimalField(
        _("mileage rate"), max_digits=5, decimal_places=3, default=Decimal("0.655")
    )
    max_open_cases = models.PositiveSmallIntegerField(_("maximum open cases"), default=5)
    imported = models.BooleanField(_("imported from history"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0) & Q(mileage_rate__gte=0),
                name="facilitator_rates_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class TrainingCourse(models.TextChoices):
    INITIAL = "initial", _("Initial")
    ADVANCED = "advanced", _("Advanced")
    CONTINUING = "continuing", _("Continuing education")


class Training(models.Model):
    facilitator = models.ForeignKey(Facilitator, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=20, choices=TrainingCourse.choices)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    continuing_due_on = models.DateField(_("continuing education due"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")
        ]


class Unavailability(models.Model):
    """A date range (inclusive) when the facilitator cannot facilitate."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="unavailable"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="unavailability_range_order"
            )
        ]


class Conflict(models.Model):
    """A district this facilitator must not serve, and why."""

    facilitator = models.ForeignKey(Facilitator, on_delete=models.CASCADE, related_name="conflicts")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "district"], name="conflict_once_per_district"
            )
        ]


class AssignmentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered, awaiting the facilitator")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the facilitator")
    REPLACED = "replaced", _("Replaced (objection or reassignment)")
    RELEASED = "released", _("Released: the case closed before the meeting")


class Assignment(models.Model):
    """A facilitator put on a case. At most one live (offered/accepted) per request."""

    request = models.ForeignKey(
        FacilitationRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.OFFERED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Now, when made in the application; an imported assignment carries its request's day
    # (the history files have no assignment time), so ten imported years do not all look
    # "assigned today" to the rotation and the roster.
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    conflict_attested_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    imported = models.BooleanField(default=False)
    #: When the request closed before its meeting and the facilitator was released.
    released_at = models.DateTimeField(null=True, blank=True)

    # Change history; free text (notes, reasons) stays out of it (see the retention purge).
    history = HistoricalRecords(excluded_fields=["note", "decline_reason"])

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["offered", "accepted"]),
                name="one_live_assignment_per_request",
            )
        ]
        # The roster's "last assigned" and "recent assignments" per facilitator, read
        # from the index alone.
        indexes = [
            models.Index(
                fields=["facilitator", "assigned_at", "status"], name="assignment_fac_assigned"
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.facilitator} ({self.status})"


class ObjectingParty(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    DISTRICT = "district", _("School district")


class Objection(models.Model):
    """A party's objection to the facilitator on a case. Each party may object once."""

    request = models.ForeignKey(
        FacilitationRequest, on_delete=models.CASCADE, related_name="facilitator_objections"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="objections")
    party = models.CharField(_("objecting party"), max_length=10, choices=ObjectingParty.choices)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "party"], name="objection_once_per_party")
        ]

    def __str__(self):
        return f"{self.request}: {self.party}"
