"""Trigram indexes for searching persons by part of a name (issue 11), PostgreSQL only.

The search filters with `icontains`, which PostgreSQL runs as `UPPER(col::text) LIKE
UPPER('%term%')`: a B-tree cannot serve a leading wildcard, a GIN trigram index on the same
expression can. On SQLite (the demo and the tests) this migration does nothing.
"""

from django.db import migrations

COLUMNS = ("first_name", "last_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_person_{column}_trgm "
            f"ON people_person USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_person_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_ever_protected")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
