from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import validation_messages


class FiepConfig(AppConfig):
    """The shared core: regions, districts, users and roles, access log, outbox."""

    name = "fiep"
    label = "fiep"
    verbose_name = _("FIEP Office core")

    def ready(self):
        validation_messages.install()
