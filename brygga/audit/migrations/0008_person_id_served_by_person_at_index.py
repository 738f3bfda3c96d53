"""Drop the single-column index on audit_auditevent.person_id: audit_person_at_idx
(person_id, at) serves every query on person_id, and each index costs every audit INSERT.

The index is dropped by name, found by introspection: letting Django alter the field would
rebuild the table on SQLite and lose the append-only triggers of 0005 (decision 0085).
"""

from django.db import migrations, models


def _single_person_indexes(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audit_auditevent")
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"]
        and info["columns"] == ["person_id"]
    ]


def forward(apps, schema_editor):
    for name in _single_person_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def backward(apps, schema_editor):
    if not _single_person_indexes(schema_editor):
        schema_editor.execute(
            "CREATE INDEX audit_auditevent_person_id_idx ON audit_auditevent (person_id)"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_person_shown")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="person_id",
                    field=models.BigIntegerField(blank=True, null=True),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
