# The access-log page's indexes (issue 16): its order (keyset pages) and the case search
# ignoring case. PostgreSQL keeps no statistics for an expression index until the table is
# analysed; until then it guesses the case search matches 0.5% of the log and may scan the
# whole log by date instead, so the table is analysed here.

import django.db.models.functions.text
from django.db import migrations, models


def analyse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE fiep_accesslog")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("fiep", "0007_outbox_message_id_unique"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["created_at", "id"], name="accesslog_created_id"),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(
                django.db.models.functions.text.Upper("case_reference"), name="accesslog_case_upper"
            ),
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop, elidable=True),
    ]

