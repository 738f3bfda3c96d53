"""Two allocations of one flat never share a day, enforced by the database itself.

PostgreSQL: an exclusion constraint over (flat, daterange(starts_on, ended_on)); an open end is
an unbounded range. SQLite has no exclusion constraints: triggers refuse the same rows.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE housing_allocation ADD CONSTRAINT housing_no_overlap EXCLUDE USING gist "
    "(flat_id WITH =, daterange(starts_on, ended_on, '[)') WITH &&)",
]
POSTGRES_DOWN = ["ALTER TABLE housing_allocation DROP CONSTRAINT housing_no_overlap"]

OVERLAP = """
    EXISTS (
        SELECT 1 FROM housing_allocation o
        WHERE o.flat_id = NEW.flat_id {not_self}
          AND (NEW.ended_on IS NULL OR NEW.ended_on > NEW.starts_on)
          AND (o.ended_on IS NULL OR o.ended_on > o.starts_on)
          AND (o.ended_on IS NULL OR NEW.starts_on < o.ended_on)
          AND (NEW.ended_on IS NULL OR o.starts_on < NEW.ended_on)
    )
"""
SQLITE_UP = [
    "CREATE TRIGGER housing_allocation_no_overlap_insert BEFORE INSERT ON housing_allocation "
    f"WHEN {OVERLAP.format(not_self='')} "
    "BEGIN SELECT RAISE(ABORT, 'housing_allocation_overlap'); END",
    "CREATE TRIGGER housing_allocation_no_overlap_update "
    "BEFORE UPDATE OF flat_id, starts_on, ended_on ON housing_allocation "
    f"WHEN {OVERLAP.format(not_self='AND o.id != NEW.id')} "
    "BEGIN SELECT RAISE(ABORT, 'housing_allocation_overlap'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS housing_allocation_no_overlap_insert",
    "DROP TRIGGER IF EXISTS housing_allocation_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
