from django.db import migrations

DEFAULTS = [
    ("insufficient-lead-time", "Not enough time before the meeting",
     "No hay tiempo suficiente antes de la reunión"),
    ("meeting-type-not-eligible", "This type of meeting is not eligible",
     "Este tipo de reunión no es elegible"),
    ("duplicate", "Duplicate of another request", "Duplicada de otra solicitud"),
    ("outside-responsibility", "Outside the agency's responsibility",
     "Fuera de la responsabilidad de la agencia"),
    ("not-iep-related", "Not about an IEP meeting", "No se trata de una reunión del IEP"),
]


def add_defaults(apps, schema_editor):
    DenialReason = apps.get_model("fiep_requests", "DenialReason")
    for order, (code, label, label_es) in enumerate(DEFAULTS):
        DenialReason.objects.get_or_create(
            code=code, defaults={"label": label, "label_es": label_es, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("fiep_requests", "0002_denial_reason")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
