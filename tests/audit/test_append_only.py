"""The database itself refuses to change or delete an audit event."""

import pytest
from django.db import DatabaseError, connection, transaction

from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_an_audit_event_cannot_be_updated():
    event = record(None, Action.LOGIN_FAILED, username="mallory")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone else")
    event.refresh_from_db()
    assert event.username == "mallory"


def test_an_audit_event_cannot_be_deleted():
    event = record(None, Action.LOGIN_FAILED, username="mallory")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_delete_either():
    record(None, Action.LOGIN_FAILED, username="mallory")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.exists()


@pytest.mark.postgres  # TRUNCATE is PostgreSQL's
def test_the_table_cannot_be_truncated_on_postgresql():
    record(None, Action.LOGIN_FAILED, username="mallory")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(username="mallory").exists()
