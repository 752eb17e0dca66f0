"""Participant evaluations of facilitated meetings."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fiep.models import Language
from meetings.models import Meeting, Participant, ParticipantRole


def new_token():
    return secrets.token_urlsafe(32)


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")


class ConcernsRaised(models.TextChoices):
    FULLY = "fully", _("Fully")
    PARTLY = "partly", _("Partly")
    NOT_AT_ALL = "not_at_all", _("Not at all")


class Agreement(models.TextChoices):
    STRONGLY_AGREE = "strongly_agree", _("Strongly agree")
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    STRONGLY_DISAGREE = "strongly_disagree", _("Strongly disagree")


class Relationship(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    NO_CHANGE = "no_change", _("No change")
    WORSE = "worse", _("Worse")


class EvaluationSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper, entered by staff")
    IMPORTED = "imported", _("Imported from history")


class EvaluationInvitation(models.Model):
    """A personal, single-use survey link sent to one participant."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # Each resend is a new message (the outbox dedupes by this count).
    resend_count = models.PositiveSmallIntegerField(default=0)

    # Change history of the invitation's metadata: no e-mail address, no token.
    history = HistoricalRecords(excluded_fields=["email", "token"])

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_invitation_per_meeting_email"
            )
        ]


class Evaluation(models.Model):
    """One completed participant evaluation. Every item but role may be unanswered (null
    or empty), which is stored as such and never as a default answer.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    invitation = models.OneToOneField(
        EvaluationInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    response_id = models.CharField(_("response id"), max_length=60)
    source = models.CharField(
        max_length=10, choices=EvaluationSource.choices, default=EvaluationSource.ONLINE
    )
    respondent_role = models.CharField(
        _("your role"), max_length=20, choices=ParticipantRole.choices
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    concerns_raised = models.CharField(max_length=20, choices=ConcernsRaised.choices, blank=True)
    facilitator_listened = models.CharField(max_length=20, choices=Agreement.choices, blank=True)
    facilitator_neutral = models.CharField(max_length=20, choices=Agreement.choices, blank=True)
    facilitator_focused = models.CharField(max_length=20, choices=Agreement.choices, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices, blank=True)
    would_recommend = models.BooleanField(null=True, blank=True)
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Paper forms: the staff member who typed it in (online responses: empty).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Change history of the evaluation; the free-text comments are never copied into it.
    history = HistoricalRecords(excluded_fields=["comments"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "response_id"], name="evaluation_response_id_unique_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__in=["", *Satisfaction.values]),
                name="evaluation_satisfaction_valid",
            ),
        ]


class SelfRating(models.TextChoices):
    WENT_WELL = "went_well", _("It went well")
    MIXED = "mixed", _("Mixed")
    DIFFICULT = "difficult", _("It was difficult")


class FacilitatorSelfEvaluation(models.Model):
    """The facilitator's short reflection on one meeting, reached by a private link.

    Like a participant's survey every item may be left unanswered (blank).
    """

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="self_evaluation"
    )
    facilitator = models.ForeignKey(
        "facilitators.Facilitator", on_delete=models.CASCADE, related_name="self_evaluations"
    )
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    overall = models.CharField(
        _("How did the meeting go?"), max_length=20, choices=SelfRating.choices, blank=True
    )
    stayed_neutral = models.CharField(
        _("I stayed neutral throughout"), max_length=20, choices=Agreement.choices, blank=True
    )
    went_well = models.TextField(_("What worked well?"), blank=True)
    do_differently = models.TextField(_("What would you do differently?"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


class AgreementsHeld(models.TextChoices):
    YES = "yes", _("Yes, they held")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FollowUp(models.Model):
    """The follow-up survey a few months after a meeting that reached agreements: did the
    agreements hold? One per person invited to evaluate the meeting; the link is single
    use and every item may be left unanswered (blank / null).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    invitation = models.OneToOneField(
        EvaluationInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    agreements_held = models.CharField(
        _("Have the agreements made at the meeting held?"),
        max_length=10,
        choices=AgreementsHeld.choices,
        blank=True,
    )
    further_dispute = models.BooleanField(
        _("Since the meeting, was another meeting, mediation or a complaint needed?"),
        null=True,
        blank=True,
    )
    comments = models.TextField(_("Comments"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_follow_up_per_meeting_email"
            )
        ]
