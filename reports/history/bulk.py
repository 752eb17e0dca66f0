"""Inserting many new rows inside the import's transaction: PostgreSQL's COPY (psycopg 3
``cursor.copy``) on PostgreSQL, Django's ``bulk_create`` elsewhere (SQLite). Neither reads
ids back; the loaders look them up by the rows' keys afterwards, the same way on both.

Every column's value comes from Django's own field machinery (defaults, ``pre_save``,
``get_db_prep_save``), so a COPY row holds exactly what ``bulk_create`` would insert.
"""

from django.db import connection

BATCH = 500


def use_copy():
    """COPY on PostgreSQL; the ORM elsewhere."""
    return connection.vendor == "postgresql"


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _copy(model, fields, rows):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert(model, objects):
    """Insert the unsaved instances ``objects`` (their ids are not set)."""
    if not objects:
        return
    if not use_copy():
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    fields = _fields(model)
    _copy(
        model,
        fields,
        (
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            for obj in objects
        ),
    )


def insert_values(model, rows, **defaults):
    """Insert ``rows`` — dicts of field attribute names (``meeting_id``) to values — with
    every other field as in ``model(**defaults)``. Cheaper than :func:`insert` for
    hundreds of thousands of rows: one instance is built, not one per row. Only for
    models whose defaults need not differ per row (no random tokens)."""
    if not rows:
        return
    if not use_copy():
        model.objects.bulk_create([model(**defaults, **row) for row in rows], batch_size=BATCH)
        return
    fields = _fields(model)
    template = model(**defaults)
    base = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields]
    position = {f.attname: i for i, f in enumerate(fields)}

    def prepared():
        for row in rows:
            values = list(base)
            for name, value in row.items():
                values[position[name]] = value
            yield values

    _copy(model, fields, prepared())
