"""Running a service from a view: the one place a refusal becomes what the person sees."""

from django.contrib import messages
from django.forms import BaseForm

from .exceptions import ServiceError


def call_service(show_errors_on, service, /, *args, **kwargs):
    """Run ``service(*args, **kwargs)``; return ``(True, result)``, or ``(False, error)``
    when the service refused with a :class:`~fiep.exceptions.ServiceError` (the caller may
    look at its class or ``code`` to choose the page; most only look at the flag).

    A :class:`~fiep.exceptions.ServiceError` is shown where the person looks:
    ``show_errors_on`` is a form (the refusal becomes the error of ``exc.field`` when the
    form has that field, else a form-wide error) or the ``HttpRequest`` (an error message
    on the next page). Any other exception is a bug and propagates.
    """
    try:
        return True, service(*args, **kwargs)
    except ServiceError as exc:
        if isinstance(show_errors_on, BaseForm):
            field = exc.field if exc.field in show_errors_on.fields else None
            for text in exc.messages:
                show_errors_on.add_error(field, text)
        else:
            for text in exc.messages:
                messages.error(show_errors_on, text)
        return False, exc
