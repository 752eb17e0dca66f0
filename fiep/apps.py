from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiepConfig(AppConfig):
    """The shared core: regions, districts, users and roles, access log, outbox."""

    name = "fiep"
    label = "fiep"
    verbose_name = _("FIEP Office core")

    def ready(self):
        from django.urls import register_converter

        from . import tasks  # noqa: F401  (registers the tasks queued by name)
        from .tokens import TokenConverter

        # ``<token:…>`` in every app's urls: malformed private-link tokens answer 404
        # before any view or query runs.
        register_converter(TokenConverter, "token")
