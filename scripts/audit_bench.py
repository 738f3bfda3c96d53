"""Audit writes per second on PostgreSQL with concurrent writers as separate *processes*.

Usage: .venv/bin/python scripts/audit_bench.py [--writers 8] [--events 8000] [--url URL]

Recreates the scratch database (default brygga_audit_bench), migrates it, then times
`audit.log.record` — the call every page view makes — from 1 writer and from N writer
processes while a sealer process chains the rows, as app servers and the sealer job would.
Processes, not threads: threads of one Python process share one GIL and measure the client.
Afterwards the chain is sealed and verified; a broken chain fails the run. Not a test: it
prints a measurement (issue 11 asks for >= 1 000 events/s with 8 writers).
AUDIT_BENCH_ASYNC_COMMIT=1 writes without waiting for the disk's fsync, to see the write path.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/brygga_audit_bench"


def _recreate(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = ["psql", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"]
    admin += ["-p", str(parts.port or 5432), "-d", "postgres", "-qc"]
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


def _write(writer: int, events: int, start_line: multiprocessing.synchronize.Barrier) -> None:
    from django.db import connection, connections

    from brygga.audit.log import record
    from brygga.audit.models import Action

    connections.close_all()  # never share the parent's socket
    if os.environ.get("AUDIT_BENCH_ASYNC_COMMIT") == "1":
        # Shows the write path without this disk's fsync rate; never Brygga's setting.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    start_line.wait()
    for i in range(events):
        record(None, Action.VIEW, username=f"writer{writer}", person_id=i)
    connections.close_all()


def _seal(stop: multiprocessing.synchronize.Event, start_line) -> None:
    from django.db import connections

    from brygga.audit import chain

    connections.close_all()
    start_line.wait()
    while not stop.is_set():
        chain.seal()
        time.sleep(0.05)
    connections.close_all()


def _phase(writers: int, events: int, *, sealing: bool) -> float:
    """Seconds for `writers` processes to write `events` in all."""
    context = multiprocessing.get_context("fork")
    start_line = context.Barrier(writers + sealing + 1)
    stop = context.Event()
    workers = [
        context.Process(target=_write, args=(n, events // writers, start_line))
        for n in range(writers)
    ]
    sealer = context.Process(target=_seal, args=(stop, start_line))
    for process in [*workers, sealer] if sealing else workers:
        process.start()
    start_line.wait()
    began = time.perf_counter()
    for process in workers:
        process.join()
    elapsed = time.perf_counter() - began
    stop.set()
    if sealing:
        sealer.join()
    if any(process.exitcode for process in workers):
        raise SystemExit("a writer failed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--events", type=int, default=8000, help="events per phase")
    parser.add_argument("--url", default=os.environ.get("AUDIT_BENCH_URL", DEFAULT_URL))
    args = parser.parse_args()

    _recreate(args.url)
    os.environ.update(DATABASE_URL=args.url, DJANGO_SETTINGS_MODULE="brygga.settings")
    os.environ.setdefault("BRYGGA_MODE", "demo")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from brygga.audit import chain

    connections.close_all()
    single = _phase(1, args.events // 4, sealing=False)
    many = _phase(args.writers, args.events, sealing=True)
    chain.seal()
    result = chain.verify()
    total = args.events // 4 + args.events
    print(f"load average {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} at the end")
    print(f"1 writer: {args.events // 4 / single:.0f} events/s")
    print(f"{args.writers} writer processes and a sealer: {args.events / many:.0f} events/s")
    print(f"chain: checked={result.checked} pending={result.pending} problems={result.problems}")
    if not result.ok or result.checked != total:
        raise SystemExit("the audit chain is not whole")


if __name__ == "__main__":
    main()
