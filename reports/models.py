"""Report runs, dispute-resolution statistics and history imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DisputeStatistics(models.Model):
    """Statewide dispute-resolution counts for one school year."""

    start_year = models.PositiveIntegerField(
        _("school year"), unique=True, help_text=_("the year the school year starts")
    )
    child_complaints = models.PositiveIntegerField(_("child complaints"))
    allegations = models.PositiveIntegerField(_("allegations"))
    mediations = models.PositiveIntegerField(_("mediation requests"), null=True, blank=True)
    due_process = models.PositiveIntegerField(_("due process complaints"), null=True, blank=True)
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("dispute-resolution statistics")
        verbose_name_plural = _("dispute-resolution statistics")

    @property
    def school_year(self):
        return f"{self.start_year}-{self.start_year + 1}"

    def __str__(self):
        return self.school_year


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"
    CSV = "csv", "CSV"


class ReportRun(models.Model):
    """One generated report, kept in the archive."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    format = models.CharField(max_length=5, choices=ReportFormat.choices, default=ReportFormat.PDF)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    #: A public version leaves out per-facilitator results (the internal one keeps them).
    public = models.BooleanField(_("public version"), default=False)
    file = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="report_period_order"
            )
        ]

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class HistoryImport(models.Model):
    """A record of one program-history import (command or upload)."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    files = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
