from django.urls import reverse

from tests.factories import AssignmentFactory, FacilitatorFactory, UserFactory


def test_admin_pages_render(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    facilitator = FacilitatorFactory()
    AssignmentFactory(facilitator=facilitator)
    for name in ["facilitator", "assignment", "objection", "spokenlanguage"]:
        assert client.get(reverse(f"admin:facilitators_{name}_changelist")).status_code == 200
    url = reverse("admin:facilitators_facilitator_change", args=[facilitator.pk])
    assert client.get(url).status_code == 200
