"""The chain stays whole under concurrent writers and a concurrent sealer on PostgreSQL.

Skipped on SQLite, which serialises writers anyway; BRYGGA_REQUIRE_POSTGRES=1 turns the skip
into a failure so CI cannot pass without having run it. Set AUDIT_BENCH=1 and run with -s to
print audit writes per second for 1 and 8 writers (AUDIT_BENCH_TOTAL writes per phase, default
4000; AUDIT_BENCH_ASYNC_COMMIT=1: without waiting for the disk's fsync, to see the write path).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent

pytestmark = pytest.mark.postgres


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
    """A transactional test, so other threads see the commits. Its clean-up TRUNCATEs every
    table, which the append-only trigger refuses: the trigger is off only between the end of
    the test and the end of the clean-up."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")


def _write_concurrently(writers: int, per_writer: int, sealing: bool = False) -> float:
    start_line = threading.Barrier(writers + sealing)
    errors: list[BaseException] = []
    done = threading.Event()

    def seal_while_writing() -> None:
        try:
            start_line.wait()
            while not done.is_set():
                chain.seal()
                time.sleep(0.01)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    def work(n: int) -> None:
        try:
            if os.environ.get("AUDIT_BENCH_ASYNC_COMMIT") == "1":
                # Measures the write path without this disk's fsync rate (never in production).
                with connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit = off")
            start_line.wait()
            for i in range(per_writer):
                record(None, Action.VIEW, username=f"writer{n}", person_id=i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    sealer = threading.Thread(target=seal_while_writing)
    began = time.perf_counter()
    for thread in [*threads, sealer] if sealing else threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done.set()
    if sealing:
        sealer.join()
    assert errors == []
    return elapsed


def test_eight_concurrent_writers_and_a_sealer_leave_one_unbroken_chain(real_commits):
    _write_concurrently(writers=8, per_writer=40, sealing=True)
    chain.seal()  # what the sealer had not reached yet
    assert AuditEvent.objects.count() == 320
    # No fork: every row has its own predecessor.
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == 320
    result = chain.verify()
    assert result.problems == []
    assert result.checked == 320
    call_command("audit_verify")


def test_the_sealer_never_seals_past_a_writer_still_in_its_transaction(real_commits, caplog):
    record(None, Action.VIEW, username="klar")  # committed, pending
    written, release = threading.Event(), threading.Event()

    def writer_in_a_long_transaction() -> None:
        try:
            with transaction.atomic():
                record(None, Action.VIEW, username="pågår")
                written.set()
                release.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=writer_in_a_long_transaction)
    writer.start()
    try:
        assert written.wait(30)
        with caplog.at_level(logging.WARNING, logger="brygga.audit.chain"):
            # Its id may be below rows committed later: sealing now could skip it for ever.
            assert chain.seal() == 0
        assert caplog.messages == [
            "audit sealer: writers held the barrier too long; will try again"
        ]
    finally:
        release.set()
        writer.join()
    assert chain.seal() == 2  # once the writer has committed, both are sealed, in id order
    assert (chain.verify().checked, chain.verify().pending) == (2, 0)


def test_a_second_sealer_stops_while_one_is_at_work(real_commits):
    record(None, Action.VIEW, username="väntar")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [chain.SEALER_LOCK_KEY])
        assert chain.seal() == 0  # the other sealer holds the lock: this one does nothing
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [chain.SEALER_LOCK_KEY])
        assert chain.seal() == 1
    finally:
        other.close()


@pytest.mark.skipif(os.environ.get("AUDIT_BENCH") != "1", reason="a measurement: AUDIT_BENCH=1")
def test_measure_audit_writes_per_second(real_commits, capsys):
    total = int(os.environ.get("AUDIT_BENCH_TOTAL", "4000"))
    single = _write_concurrently(writers=1, per_writer=total)
    eight = _write_concurrently(writers=8, per_writer=total // 8, sealing=True)
    chain.seal()
    result = chain.verify()
    assert result.ok
    assert (result.checked, result.pending) == (2 * total, 0)
    with capsys.disabled():
        print(
            f"\naudit writes/s on PostgreSQL: 1 writer {total / single:.0f}, "
            f"8 concurrent writers and a sealer {total / eight:.0f} ({total} writes each)"
        )
