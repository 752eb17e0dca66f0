"""Report runs, dispute-resolution statistics and history imports."""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, blank=True, default=""
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Printed after the cover of the PDF.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Printed at the end of the PDF."))
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


class SpotlightSentence(models.TextChoices):
    """The headline sentences of the one-page spotlight (``reports.spotlight``)."""

    CONSENSUS = "consensus", _("Consensus on some to all issues")
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    RECOMMEND = "recommend", _("Would recommend")
    DISTRICTS = "districts", _("Districts holding FIEPs")
    COMPLAINTS = "complaints", _("Child complaints and allegations")


#: The figures each spotlight sentence can name, as ``{placeholder}`` in its wording.
SPOTLIGHT_PLACEHOLDERS = {
    SpotlightSentence.CONSENSUS: ["consensus", "recorded", "percent"],
    SpotlightSentence.VERY_SATISFIED: ["completed", "percent"],
    SpotlightSentence.RECOMMEND: ["percent"],
    SpotlightSentence.DISTRICTS: ["first", "first_year", "last", "last_year", "change"],
    SpotlightSentence.COMPLAINTS: [
        "first",
        "first_year",
        "last",
        "last_year",
        "change",
        "first_allegations",
        "last_allegations",
        "allegations_change",
    ],
}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


class SpotlightWording(models.Model):
    """An administrator's own wording of one spotlight sentence in one language; the
    figures go in as ``{placeholders}``. Without one, the built-in wording is used."""

    sentence = models.CharField(_("sentence"), max_length=20, choices=SpotlightSentence.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    text = models.TextField(
        _("wording"),
        help_text=_(
            "The figures as placeholders in braces. Consensus: {consensus}, {recorded}, "
            "{percent}. Very satisfied: {completed}, {percent}. Would recommend: {percent}. "
            "Districts: {first}, {first_year}, {last}, {last_year}, {change}. Complaints: "
            "the same and {first_allegations}, {last_allegations}, {allegations_change}."
        ),
    )

    class Meta:
        verbose_name = _("spotlight wording")
        verbose_name_plural = _("spotlight wordings")
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "language"], name="one_spotlight_wording_per_language"
            )
        ]

    def __str__(self):
        return f"{self.get_sentence_display()} ({self.language})"

    def clean(self):
        allowed = SPOTLIGHT_PLACEHOLDERS.get(self.sentence, [])
        unknown = sorted(set(PLACEHOLDER_RE.findall(self.text or "")) - set(allowed))
        if unknown:
            raise ValidationError(
                {
                    "text": _("Unknown placeholders: %(unknown)s. Use: %(allowed)s.")
                    % {
                        "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                        "allowed": ", ".join(f"{{{name}}}" for name in allowed),
                    }
                }
            )

    def render(self, values):
        """The wording with its placeholders replaced by ``values`` (names only: no
        attribute access or formatting code reaches Python's ``format``)."""
        return PLACEHOLDER_RE.sub(lambda m: str(values.get(m[1], m[0])), self.text)


class MetricsCache(models.Model):
    """The stored counts of one closed school year (``reports.metrics.cache``): one row
    per part of the year's counts (totals, district, facilitator, requester, role), for
    one version of the metrics' definitions. Rows with ``part`` "invalidated" are the
    time the year's counts were last invalidated (``start_year`` 0: every year)."""

    start_year = models.PositiveIntegerField()
    start_month = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=20)
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["start_year", "start_month", "part", "version"],
                name="one_metrics_cache_row_per_year_part_version",
            )
        ]

    def __str__(self):
        return f"{self.start_year} {self.part} v{self.version}"


class HistoryUpload(models.Model):
    """Program-history files uploaded through the page, imported by the worker. The files
    wait in a private folder (never served) and are deleted once the import ends."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    dry_run = models.BooleanField(default=False)
    files = models.JSONField(default=list)
    #: ``FILE:LINE: column COLUMN: …`` lines when the files have problems.
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    record = models.ForeignKey(HistoryImport, on_delete=models.SET_NULL, null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def folder(self):
        return Path(settings.MEDIA_ROOT) / "history-uploads" / str(self.pk)

    @property
    def finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)
