"""Fixtures for the audit tests: lifting the append-only trigger to play the attacker."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_triggers = importlib.import_module("brygga.audit.migrations.0005_seal_once")
_anchor_triggers = importlib.import_module("brygga.audit.migrations.0006_audit_anchor")


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """What an attacker with database access does: switch the trigger off, tamper, switch it
    back on. The test's transaction rolls all of it back as well."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditanchor DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute("DROP TRIGGER audit_anchor_no_update")
            cursor.execute("DROP TRIGGER audit_anchor_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
                cursor.execute("ALTER TABLE audit_auditanchor ENABLE TRIGGER USER")
            else:
                for statement in _triggers.SQLITE_TRIGGERS + _anchor_triggers.SQLITE_FORWARD:
                    cursor.execute(statement)
