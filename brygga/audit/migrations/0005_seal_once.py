"""Sealing is the one UPDATE the audit table allows: once per row, and only the chain columns.

Rows are written pending (prev_hash empty) and chained later by brygga.audit.chain.seal
(decision 0080). The triggers still refuse DELETE and TRUNCATE and every other UPDATE.
SQLite cannot compare whole rows, so its trigger names the columns: a migration that adds a
column to audit_auditevent must add it to SQLITE_TRIGGERS here (and recreate them, since
SQLite drops triggers when Django rebuilds the table).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_update_is_seal() RETURNS trigger AS $$
BEGIN
    IF OLD.prev_hash = '' AND NEW.prev_hash <> '' AND NEW.hash <> ''
       AND (to_jsonb(NEW) - 'hash' - 'prev_hash') = (to_jsonb(OLD) - 'hash' - 'prev_hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % rejected', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON audit_auditevent;
CREATE TRIGGER audit_event_no_delete
    BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_seal_once
    BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_update_is_seal();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_seal_once ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_update_is_seal();
CREATE TRIGGER audit_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
"""
# Every column except the two the sealer writes.
UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in (
        "id",
        "at",
        "action",
        "user_id",
        "username",
        "roles",
        "person_id",
        "object_type",
        "object_id",
        "path",
        "request_id",
        "ip_address",
        "reason",
        "detail",
    )
)
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT (OLD.prev_hash = '' AND NEW.prev_hash <> '' AND NEW.hash <> '' AND {UNCHANGED})
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE rejected'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE rejected'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE rejected'); END;""",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_TRIGGERS)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the PL/pgSQL body holds a literal '%' (see 0002).
        schema_editor.execute(postgres_sql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No append-only trigger for {vendor}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_alter_auditevent_action")]
    operations = [migrations.RunPython(forward, backward)]
