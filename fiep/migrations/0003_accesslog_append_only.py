"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the access log (append-only).

SQLite (development) has no such guard; the application never updates or deletes rows.
TRUNCATE stays with the database owner (test runs flush tables with it).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION fiep_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'fiep_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fiep_accesslog_append_only ON fiep_accesslog;
CREATE TRIGGER fiep_accesslog_append_only
    BEFORE UPDATE OR DELETE ON fiep_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION fiep_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS fiep_accesslog_append_only ON fiep_accesslog;
DROP FUNCTION IF EXISTS fiep_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("fiep", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
