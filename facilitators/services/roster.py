"""Roster writes: entries, trainings, unavailability, conflicts, trial review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError

from ..models import (
    Conflict,
    ContractStatus,
    Facilitator,
    SpokenLanguage,
    Training,
    TrainingCourse,
    Unavailability,
)

FACILITATOR_FIELDS = [
    "user",
    "email",
    "first_name",
    "last_name",
    "phone",
    "background",
    "contract_status",
    "vendor_number",
    "hourly_rate",
    "mileage_rate",
    "max_open_cases",
]


def _full_clean(instance, **kwargs):
    """The model's own validation, as a refusal the view shows (one error type)."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise ServiceError(exc.messages, code="invalid") from exc


@transaction.atomic
def facilitator_save(*, facilitator=None, data, regions=None, languages=None):
    """Create (``facilitator=None``) or update a roster entry from cleaned ``data``.

    ``data`` holds any of :data:`FACILITATOR_FIELDS`; ``regions`` and ``languages``
    (iterables, optional) replace the current sets. Side effects: the Facilitator row and
    its region/language links. Returns the facilitator.
    """
    unknown = set(data) - set(FACILITATOR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown facilitator fields: {sorted(unknown)}")
    facilitator = facilitator or Facilitator()
    for name, value in data.items():
        setattr(facilitator, name, value)
    _full_clean(facilitator, exclude=["regions", "languages"])
    facilitator.save()
    if regions is not None:
        facilitator.regions.set(regions)
    if languages is not None:
        facilitator.languages.set(languages)
    return facilitator


@transaction.atomic
def facilitator_profile_update(*, facilitator, phone, background, languages):
    """The facilitator's own edit: phone, background and languages (never contract fields).

    Side effects: the Facilitator row and its language links.
    """
    facilitator.phone = phone
    facilitator.background = background
    facilitator.save(update_fields=["phone", "background"])
    facilitator.languages.set(languages)
    return facilitator


def training_record(*, facilitator, course, completed_on, hours, continuing_due_on=None):
    """Add a training to the record. A continuing-education due date is required for a
    continuing course and defaults to two years after completion for the others.

    Side effects: one Training row.
    """
    if continuing_due_on is None:
        years = settings.FIEP_CONTINUING_EDUCATION_YEARS
        try:
            continuing_due_on = completed_on.replace(year=completed_on.year + years)
        except ValueError:  # 29 February
            continuing_due_on = completed_on.replace(year=completed_on.year + years, day=28)
    training = Training(
        facilitator=facilitator,
        course=TrainingCourse(course),
        completed_on=completed_on,
        hours=hours,
        continuing_due_on=continuing_due_on,
    )
    _full_clean(training)
    training.save()
    return training


def unavailability_add(*, facilitator, starts_on, ends_on, note=""):
    """Record that the facilitator cannot facilitate from ``starts_on`` to ``ends_on``
    (inclusive). Side effects: one Unavailability row."""
    if ends_on < starts_on:
        raise ServiceError(_("The end date must not be before the start date."))
    item = Unavailability(facilitator=facilitator, starts_on=starts_on, ends_on=ends_on, note=note)
    _full_clean(item)
    item.save()
    return item


def unavailability_remove(*, unavailability):
    """Delete one unavailability range. Side effects: deletes the row."""
    unavailability.delete()


def conflict_add(*, facilitator, district, reason):
    """Record a district the facilitator must not serve, and why.

    Side effects: one Conflict row. Existing live assignments are not changed: staff see
    the conflict on the case and reassign.
    """
    if not reason.strip():
        raise ServiceError(_("Give the reason for the conflict."))
    if Conflict.objects.filter(facilitator=facilitator, district=district).exists():
        raise ServiceError(_("This conflict is already recorded."))
    return Conflict.objects.create(facilitator=facilitator, district=district, reason=reason)


def conflict_remove(*, conflict):
    """Delete one conflict. Side effects: deletes the row."""
    conflict.delete()


def facilitator_trial_review(*, facilitator):
    """Promote a trial facilitator to active after ``FIEP_TRIAL_FACILITATIONS`` held meetings.

    Counts meetings through the reverse relation (this app never imports meetings). The
    meetings app may call it after recording an outcome. Side effects: the contract
    status, at most once. Returns True when promoted.
    """
    if facilitator.contract_status != ContractStatus.TRIAL:
        return False
    needed = settings.FIEP_TRIAL_FACILITATIONS
    held = (
        Facilitator.objects.filter(pk=facilitator.pk)
        .aggregate(n=Count("meetings", filter=Q(meetings__status="held")))
        .get("n")
        or 0
    )
    if held < needed:
        return False
    updated = Facilitator.objects.filter(pk=facilitator.pk, contract_status=ContractStatus.TRIAL)
    if updated.update(contract_status=ContractStatus.ACTIVE):
        facilitator.contract_status = ContractStatus.ACTIVE
        return True
    return False


def language_get_or_create(*, name):
    """The SpokenLanguage called ``name`` (case-insensitive), created if missing."""
    name = name.strip()
    existing = SpokenLanguage.objects.filter(name__iexact=name).first()
    return existing or SpokenLanguage.objects.create(name=name)
