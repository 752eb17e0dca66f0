"""The project's own wording of Django's built-in validation messages.

Django's Spanish catalogue is Spain's Spanish ("Introduzca", "Escoja", "fichero"), and some
of its messages repeat the submitted value, which for a choice is an internal code ("Escoja
una opción válida. annual no es una de las opciones disponibles."). The project writes these
messages itself, in English and in US Spanish (the project catalogues win over Django's:
``LOCALE_PATHS`` in settings), and no message ever shows the submitted code.

:func:`install` (called from ``FiepConfig.ready``) sets them as the defaults of Django's
form and model fields, so every form of every app uses them without a per-form
``error_messages``. A form's own ``error_messages`` still win.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

CHOOSE_FROM_LIST = _("Select one of the choices listed.")

#: Form-field classes and the messages they get, merged over Django's own.
FORM_FIELD_MESSAGES = {
    forms.Field: {
        "required": _("This field is required."),
        # Validator messages are replaced by the field's message of the same code.
        "max_length": ngettext_lazy(
            "Use at most %(limit_value)d character (now %(show_value)d).",
            "Use at most %(limit_value)d characters (now %(show_value)d).",
            "limit_value",
        ),
        "min_length": ngettext_lazy(
            "Use at least %(limit_value)d character (now %(show_value)d).",
            "Use at least %(limit_value)d characters (now %(show_value)d).",
            "limit_value",
        ),
        "max_value": _("Enter a number of %(limit_value)s or less."),
        "min_value": _("Enter a number of %(limit_value)s or more."),
    },
    forms.EmailField: {"invalid": _("Enter a valid email address, like name@example.com.")},
    forms.DateField: {"invalid": _("Enter a valid date (month/day/year).")},
    forms.TimeField: {"invalid": _("Enter a valid time, like 9:30 a.m.")},
    forms.DateTimeField: {"invalid": _("Enter a valid date and time.")},
    forms.IntegerField: {"invalid": _("Enter a whole number.")},
    forms.DecimalField: {"invalid": _("Enter a number.")},
    forms.FloatField: {"invalid": _("Enter a number.")},
    forms.URLField: {"invalid": _("Enter a valid web address.")},
    forms.ChoiceField: {"invalid_choice": CHOOSE_FROM_LIST},
    forms.MultipleChoiceField: {
        "invalid_choice": CHOOSE_FROM_LIST,
        "invalid_list": CHOOSE_FROM_LIST,
    },
    forms.ModelChoiceField: {"invalid_choice": CHOOSE_FROM_LIST},
    forms.ModelMultipleChoiceField: {
        "invalid_choice": CHOOSE_FROM_LIST,
        "invalid_pk_value": CHOOSE_FROM_LIST,
        "invalid_list": CHOOSE_FROM_LIST,
    },
    forms.FileField: {
        "invalid": _("No file was sent. Please choose the file again."),
        "missing": _("No file was sent. Please choose the file again."),
        "empty": _("The file you sent is empty."),
        "contradiction": _("Send a file or tick the box to remove it, not both."),
    },
}

#: Model fields: the model-level checks must not repeat a submitted value either.
MODEL_FIELD_MESSAGES = {
    models.Field: {"invalid_choice": CHOOSE_FROM_LIST},
    models.ForeignKey: {"invalid": CHOOSE_FROM_LIST},
}

# Django's own msgids whose Spanish the project catalogue gives on purpose (US usage), so
# makemessages keeps them: the 12-hour time marks ("9:30 a. m.", the glossary's form).
DJANGO_MSGIDS = [gettext_noop("a.m."), gettext_noop("p.m."), gettext_noop("AM"), gettext_noop("PM")]


def install():
    """Merge the project's messages into Django's field classes (idempotent)."""
    for classes in (FORM_FIELD_MESSAGES, MODEL_FIELD_MESSAGES):
        for field_class, messages in classes.items():
            # Each class gets its own dict: assigning to a subclass attribute must never
            # change the inherited dict of its parent.
            field_class.default_error_messages = {
                **field_class.__dict__.get("default_error_messages", {}),
                **messages,
            }
