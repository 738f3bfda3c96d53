"""The chain stays whole under concurrent writers and a concurrent sealer on PostgreSQL.

Skipped on SQLite, which serialises writers anyway; BRYGGA_REQUIRE_POSTGRES=1 turns the skip
into a failure so CI cannot pass without having run it. Writes per second are measured by
scripts/audit_bench.py, with writer processes rather than threads of one interpreter.
The fixtures (`real_commits` …) are tests/postgres.py's, imported by tests/conftest.py.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent

pytestmark = pytest.mark.postgres


def _write_concurrently(writers: int, per_writer: int, sealing: bool = False) -> None:
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
            start_line.wait()
            for i in range(per_writer):
                record(None, Action.VIEW, username=f"writer{n}", person_id=i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    sealer = threading.Thread(target=seal_while_writing)
    for thread in [*threads, sealer] if sealing else threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    if sealing:
        sealer.join()
    assert errors == []


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
