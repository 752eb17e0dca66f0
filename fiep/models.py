"""The shared core: regions and districts, users and roles, the access log, the outbox."""

import uuid

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager
from simple_history.models import HistoricalRecords


class Language(models.TextChoices):
    """Languages the application speaks (pages, e-mail, surveys)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Role(models.TextChoices):
    """The staff roles; each is a Django group of the same name (see fiep.roles)."""

    OFFICE_STAFF = "Office staff", _("Office staff")
    FACILITATOR = "Facilitator", _("Facilitator")
    ADMINISTRATOR = "Administrator", _("Administrator")
    DISTRICT_LIAISON = "District liaison", _("District liaison")


class Region(models.Model):
    """A region of the state, used to match facilitators to districts and in reports."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class District(models.Model):
    """A local education agency (school district), identified by the state's LEA code."""

    code = models.CharField(_("LEA code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        indexes = [
            models.Index(fields=["region", "name"]),
            # Lists sorted by district (the inbox) walk the districts in name order and
            # each district's requests by index, instead of sorting every request.
            models.Index(fields=["name"], name="district_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A person who logs in: office staff, administrator, facilitator or district liaison.

    Parents and districts asking for facilitation never need an account: they use
    private links.
    """

    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaisons",
        verbose_name=_("district (liaisons only)"),
    )
    confidentiality_training_on = models.DateField(
        _("confidentiality training completed"), null=True, blank=True
    )

    @property
    def display_name(self):
        """The person's name as shown in timelines and change history (else the username)."""
        return self.get_full_name() or self.username

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        """A permission the program defines (a django-rules rule) is decided by its rule
        for everybody, superusers included: Django's blanket "a superuser has every
        permission" would let an administrator act as a case's facilitator (log billable
        time on another facilitator's meeting, open "my feedback" without a roster entry).
        In the rules a superuser counts as program staff (``fiep.rules.is_program_staff``).
        Other permissions (Django's own model permissions, used by the admin site) keep
        Django's behaviour."""
        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    PDF = "pdf", _("PDF")
    EXPORT = "export", _("export")
    EMAIL = "email", _("e-mail")
    DENIED = "denied", _("denied")
    PRINT = "print", _("printed")
    #: A sign-in through the identity provider; the purpose says how the person was verified.
    SIGN_IN = "sign_in", _("signed in")


class AccessLog(models.Model):
    """Who looked at which student's record, when and why (34 CFR 300.614).

    Append-only: rows are written by :func:`fiep.services.access_log_record` and never
    changed. It names the case by reference and the object by type and id, never by the
    student's name, so the log survives the destruction of identifying data.
    """

    created_at = models.DateTimeField(_("when (UTC)"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=40, blank=True)
    case_reference = models.CharField(_("case"), max_length=40, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    request_id = models.CharField(_("request id"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The log page's order (keyset pages) and its case search ignoring case.
            models.Index(fields=["created_at", "id"], name="accesslog_created_id"),
            models.Index(Upper("case_reference"), name="accesslog_case_upper"),
        ]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.case_reference}"


class OutboxStatus(models.TextChoices):
    #: Waiting for its first try, or for its next one (``next_attempt_at``, ``last_error``).
    PENDING = "pending", _("pending")
    #: Claimed by a worker (``claimed_by``) for the SMTP conversation until ``leased_until``.
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    #: Every try over at least 24 hours failed: shown to staff, who may send it again.
    FAILED = "failed", _("not delivered")
    #: Never to be sent (the case's identifying data was destroyed first).
    CANCELLED = "cancelled", _("cancelled")


def new_message_id():
    """A Message-ID for a new outbox row: set once, sent with every try of the row, so a
    message that had to be sent again is recognisably the same message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "fiep.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxMessage(models.Model):
    """One outgoing e-mail. Written in the same transaction as the change that caused it,
    sent afterwards by a task, re-driven by the sweeper: the program's record of what was
    said to whom.
    """

    event = models.CharField(_("event"), max_length=60, db_index=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient_email = models.EmailField(_("to"))
    recipient_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, mimetype, content}] (text content)"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The RFC 5322 Message-ID, fixed at creation (never regenerated by a retry).
    message_id = models.CharField(max_length=200, unique=True, default=new_message_id)
    # The worker sending it now, and until when its claim holds (see outbox_deliver).
    claimed_by = models.CharField(max_length=120, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The case the message belongs to, shown on its timeline.
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    related = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.event} → {self.recipient_email} ({self.status})"


class ExternalIdentity(models.Model):
    """The identity-provider account (issuer + subject) a user signs in with (fiep/sso/).

    Recorded at the first single sign-on, when the identity was matched to the account by
    its verified e-mail address (or the account was created); afterwards the subject alone
    decides, so a changed e-mail address at the provider cannot take over another account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    email_at_link = models.EmailField(_("e-mail when linked"), blank=True)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="external_identity_one_per_user_and_issuer"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.issuer}"


class ProviderVerifiedDeviceManager(DeviceManager):
    def devices_for_user(self, user, confirmed=None):
        # Never offered as a way to enter a code: it only marks a session as verified.
        return self.none()


class ProviderVerifiedDevice(Device):
    """The second factor checked by the identity provider (its ``amr``/``acr`` said so).

    django-otp marks a session verified with a device; this one accepts no code, is never
    listed among the user's devices (so the local two-step and its set-up are unchanged)
    and exists only to be put into a single sign-on session.
    """

    objects = ProviderVerifiedDeviceManager()

    class Meta:
        verbose_name = _("second factor at the identity provider")
        verbose_name_plural = _("second factors at the identity provider")

    def verify_token(self, token):
        return False


class MFAEnrolmentLink(models.Model):
    """A one-time link an administrator sends so that a user can set up their
    authenticator (two-step log-in). Without one, a password alone never enrols a device.

    Only the SHA-256 of the token is stored: the e-mail is the only copy of the link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mfa_enrolment_links",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("two-step set-up link")
        verbose_name_plural = _("two-step set-up links")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last sign of life of a background part, read by /health/: ``worker`` (written
    by a beat-scheduled task the worker runs) and ``smtp`` (the result of the last
    SMTP conversation)."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()
    ok = models.BooleanField(default=True)
    detail = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'failing'}"


class MessageChannel(models.TextChoices):
    """How a message reaches its reader."""

    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class MessageWording(models.Model):
    """An administrator's wording of one message (event) in one channel and language.

    Present: ``fiep.notifications.render_message`` uses it instead of the default
    templates. Deleting it is the reset to the default; the history keeps every version.
    """

    event = models.CharField(_("message"), max_length=40)
    channel = models.CharField(
        _("channel"), max_length=10, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message wording")
        verbose_name_plural = _("message wordings")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="messagewording_one_per_message"
            ),
        ]

    def __str__(self):
        return f"{self.event} ({self.channel}, {self.language})"


class PrintBatch(models.Model):
    """Letters printed together: made when staff download the print batch, marked mailed
    once they are in the post. Marking is idempotent (``fiep.letters.batch_mark_mailed``)."""

    created_at = models.DateTimeField(_("printed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed by"),
    )
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    mailed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mailed by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self):
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class Letter(models.Model):
    """One paper letter to a party without an e-mail address: what
    :func:`fiep.notifications.notify` writes instead of an OutboxMessage when the
    recipient has only a postal address. The wording is stored (the same event's text,
    rendered for the ``letter`` channel); the PDF is rendered from it when printed, so a
    reprint is the same letter.
    """

    event = models.CharField(_("event"), max_length=60, db_index=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient_name = models.CharField(_("name"), max_length=200, blank=True)
    recipient_address = models.TextField(_("mailing address"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    #: A printable form sent with the letter (the paper survey), as an HTML fragment.
    enclosure_html = models.TextField(blank=True)
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    batch = models.ForeignKey(
        PrintBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("print batch"),
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    #: Never to be mailed (the case's identifying data was destroyed first).
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [models.Index(fields=["mailed_at", "batch"])]

    def __str__(self):
        return f"{self.event} → {self.recipient_name} ({self.case_reference})"


class ShortLink(models.Model):
    """A short code for a long private link, printed in letters (``/go/<code>/``): a
    person types eight letters from paper instead of a 43-character token. The code is
    as secret as the link it stands for; the resolver is rate limited."""

    code = models.CharField(max_length=16, unique=True)
    target = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.code


class Branding(models.Model):
    """The agency's logo and colours, set by administrators on ``/staff/branding/``.

    One row (``pk`` 1, a check constraint), its history kept (who changed what, when).
    The logo is stored re-encoded as PNG (``fiep.branding.clean_logo``), so what is served
    is always an image Pillow wrote, never the uploaded bytes. Empty fields fall back to
    the settings-based defaults (``FIEP_AGENCY_NAME`` …, the stylesheet's colours).
    """

    logo = models.BinaryField(_("logo (PNG)"), blank=True, default=b"")
    logo_width = models.PositiveIntegerField(default=0)
    logo_height = models.PositiveIntegerField(default=0)
    logo_alt_en = models.CharField(_("logo text alternative (English)"), max_length=200, blank=True)
    logo_alt_es = models.CharField(_("logo text alternative (Spanish)"), max_length=200, blank=True)
    primary_colour = models.CharField(_("primary colour"), max_length=7, blank=True)
    accent_colour = models.CharField(_("accent colour"), max_length=7, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branding")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="branding_one_row")]
