"""The four role groups, created by a data migration and by ``ensure_role_groups``."""

from django.contrib.auth.models import Group

from .models import Role


def ensure_role_groups():
    """Create the role groups if missing; returns {role: Group}."""
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
