"""factory-boy factories for every model the apps share. All data is fictional.

App-specific factories may live in ``tests/<app>/factories.py``; these are the common ones.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationInvitation, EvaluationSource
from facilitators.models import Assignment, AssignmentStatus, ContractStatus, Facilitator
from fiep.models import District, Region, Role, User
from fiep_requests.models import FacilitationRequest, Requester, RequestStatus
from meetings.models import Meeting, MeetingStatus, Participant, ParticipantRole
from reports.models import DisputeStatistics

PASSWORD = "a-long-test-password-for-fiep"  # noqa: S105


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{900 + n // 1000:03d}-{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Testville R-{n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role=Role.OFFICE_STAFF)`` puts the user in that role's group."""
        if extracted:
            group, _ = Group.objects.get_or_create(name=Role(extracted).value)
            self.groups.add(group)
        if create:
            self.save()


def staff_user(**kwargs):
    return UserFactory(role=Role.OFFICE_STAFF, **kwargs)


def admin_user(**kwargs):
    return UserFactory(role=Role.ADMINISTRATOR, **kwargs)


def liaison_user(district, **kwargs):
    return UserFactory(role=Role.DISTRICT_LIAISON, district=district, **kwargs)


class FacilitationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitationRequest

    reference = factory.Sequence(lambda n: f"FIEP-2026-{n + 1:04d}")
    status = RequestStatus.SUBMITTED
    received_on = factory.LazyFunction(lambda: timezone.localdate())
    requested_by = Requester.PARENT
    district = factory.SubFactory(DistrictFactory)
    student_first_name = "Ana"
    student_last_name = factory.Sequence(lambda n: f"Example{n}")
    student_birth_date = datetime.date(2012, 3, 14)
    student_grade = "6"
    school_name = "Example Middle School"
    disability_category = "specific_learning_disability"
    has_iep = True
    parent_name = "Maria Example"
    parent_email = factory.Sequence(lambda n: f"parent{n}@example.org")
    parent_phone = "555-0100"
    district_contact_name = "Dana Director"
    district_contact_email = factory.Sequence(lambda n: f"sped{n}@district.example.org")
    meeting_type = "annual_review"
    concerns = factory.LazyFunction(lambda: ["services", "goals"])
    narrative = "We disagree about reading services."
    requester_consents = True
    signature_name = "Maria Example"
    signature_date = factory.LazyFunction(lambda: timezone.localdate())


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    email = factory.Sequence(lambda n: f"facilitator{n}@example.org")
    first_name = "Frank"
    last_name = factory.Sequence(lambda n: f"Facil{n}")
    contract_status = ContractStatus.ACTIVE
    hourly_rate = Decimal("75.00")
    mileage_rate = Decimal("0.655")

    class Params:
        with_user = factory.Trait(
            user=factory.SubFactory(
                UserFactory,
                role=Role.FACILITATOR,
                email=factory.SelfAttribute("..email"),
            )
        )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    request = factory.SubFactory(FacilitationRequestFactory, status=RequestStatus.ASSIGNED)
    facilitator = factory.SubFactory(FacilitatorFactory)
    status = AssignmentStatus.ACCEPTED


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    request = factory.SubFactory(FacilitationRequestFactory, status=RequestStatus.SCHEDULED)
    facilitator = factory.SubFactory(FacilitatorFactory)
    status = MeetingStatus.SCHEDULED
    format = "in_person"
    location = "District office, Room 2"

    class Params:
        held = factory.Trait(
            status=MeetingStatus.HELD,
            held_on=factory.LazyFunction(lambda: timezone.localdate()),
            request=factory.SubFactory(FacilitationRequestFactory, status=RequestStatus.HELD),
        )

    @factory.post_generation
    def assign(obj, create, extracted, **kwargs):
        """Access to a meeting follows the live assignment of its request: give the
        meeting's facilitator an accepted one, as scheduling requires (unless the request
        already has a live assignment, or ``assign=False``)."""
        if not create or extracted is False or obj.facilitator_id is None:
            return
        live = Assignment.objects.filter(
            request=obj.request, status__in=[AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]
        )
        if not live.exists():
            Assignment.objects.create(
                request=obj.request, facilitator=obj.facilitator, status=AssignmentStatus.ACCEPTED
            )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    role = ParticipantRole.PARENT
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")


class EvaluationInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationInvitation

    meeting = factory.SubFactory(MeetingFactory, held=True)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = ParticipantRole.PARENT
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    meeting = factory.SubFactory(MeetingFactory, held=True)
    response_id = factory.Sequence(lambda n: f"R{n}")
    source = EvaluationSource.ONLINE
    respondent_role = ParticipantRole.PARENT
    satisfaction = "very_satisfied"
    would_recommend = True


class DisputeStatisticsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisputeStatistics
        django_get_or_create = ["start_year"]

    start_year = 2016
    child_complaints = 120
    allegations = 300


def users_by_role(district):
    """One user per role, for permission tables: office staff, administrator, the liaison
    of ``district``, a roster facilitator and a user without a role."""
    return {
        "staff": staff_user(),
        "admin": admin_user(),
        "liaison": liaison_user(district),
        "facilitator": FacilitatorFactory(with_user=True).user,
        "norole": UserFactory(),
    }
