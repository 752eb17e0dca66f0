"""Factories of the facilitators app's own models. All data is fictional."""

import datetime

import factory

from facilitators.models import Conflict, SpokenLanguage, Training, Unavailability
from tests.factories import DistrictFactory, FacilitatorFactory


class SpokenLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpokenLanguage
        django_get_or_create = ["name"]

    name = "Spanish"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    facilitator = factory.SubFactory(FacilitatorFactory)
    course = "initial"
    completed_on = datetime.date(2025, 9, 1)
    hours = 24
    continuing_due_on = datetime.date(2027, 9, 1)


class UnavailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unavailability

    facilitator = factory.SubFactory(FacilitatorFactory)
    starts_on = datetime.date(2026, 12, 1)
    ends_on = datetime.date(2026, 12, 31)


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    facilitator = factory.SubFactory(FacilitatorFactory)
    district = factory.SubFactory(DistrictFactory)
    reason = "Former employer"
