from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels
from fiep.tokens import TokenConverter

from . import history_managers, validation_messages


class FiepConfig(AppConfig):
    """The shared core: regions, districts, users and roles, access log, outbox."""

    name = "fiep"
    label = "fiep"
    verbose_name = _("FIEP Office core")

    def ready(self):
        validation_messages.install()
        history_managers.install()

        # Models and permissions the panels use need the app registry.
        from . import (  # noqa: PLC0415 - app registry
            panels,
            tasks,  # noqa: F401  (registers the task notify queues by name)
        )

        staff_home_panels.connect_ordered(panels.staff_panels, order=90, dispatch_uid="fiep")
        # ``<token:…>`` in every app's urls: malformed private-link tokens answer 404
        # before any view or query runs.
        register_converter(TokenConverter, "token")
