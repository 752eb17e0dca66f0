# The inbox's free-text search (issue 16): trigram indexes on the four columns it reads, on
# PostgreSQL only. The search is Django's ``icontains`` (``UPPER(col::text) LIKE
# UPPER('%…%')``), so each index is on ``UPPER(col)`` with ``gin_trgm_ops``. SQLite has
# neither pg_trgm nor GIN: there the indexes exist in the migration state only (so
# ``makemigrations --check`` stays clean) and the search scans, as before.
#
# ``CREATE EXTENSION pg_trgm`` needs a role that may create a trusted extension in the
# database (its owner, PostgreSQL 13+) — see docs/performance.md.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(
            django.db.models.functions.text.Upper(field), name="gin_trgm_ops"
        ),
        name=f"request_{name}_trgm",
    )
    for field, name in [
        ("reference", "reference"),
        ("parent_name", "parent"),
        ("student_first_name", "student_first"),
        ("student_last_name", "student_last"),
    ]
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("fiep_requests", "FacilitationRequest")
    for index in INDEXES:
        schema_editor.add_index(model, index)
    # Statistics for the indexed expressions, so the planner knows how rare a match is.
    schema_editor.execute("ANALYZE fiep_requests_facilitationrequest")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("fiep_requests", "FacilitationRequest")
    for index in INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("fiep_requests", "0007_intake_channel_mailing_addresses_paper_consent"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="facilitationrequest", index=index)
                for index in INDEXES
            ],
            database_operations=[migrations.RunPython(create_indexes, drop_indexes)],
        ),
    ]
