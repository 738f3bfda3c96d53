"""Fixtures for tests that need PostgreSQL and real commits (import them into a test module).

Skipped on SQLite; BRYGGA_REQUIRE_POSTGRES=1 turns the skip into a failure so CI cannot pass
without having run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("BRYGGA_REQUIRE_POSTGRES") == "1":
        pytest.fail("BRYGGA_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def restore_truncate_trigger(postgres_only: None, django_db_blocker) -> Iterator[None]:
    """Set up before `transactional_db`, so torn down after its clean-up (see below)."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate")


@pytest.fixture
def real_commits(restore_truncate_trigger: None, transactional_db: None) -> Iterator[None]:
    """A transactional test, so other connections see the commits. Its clean-up TRUNCATEs
    every table, which the audit log's append-only trigger refuses: the trigger is off only
    between the end of the test and the end of the clean-up."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")
