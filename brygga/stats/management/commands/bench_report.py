"""Measure the board report's database time: every query timed, summed, printed.

    manage.py bench_report [--year 2026] [--quarter 2] [--repeat 3]

Runs `build_report` for the whole city (the widest scope) and reports, per run, the number of
queries, the time spent inside the database driver and the wall-clock time. The first run
also warms PostgreSQL's caches; the best run is the figure for docs/benchmarks.md.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from brygga.stats.periods import Period


class Timer:
    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            self.queries += 1
            self.seconds += spent
            self.slowest.append((spent, " ".join(sql.split())[:160]))


class Command(BaseCommand):
    help = "Time the board report's SQL (database time) for the whole city."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--quarter", type=int, default=None)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        from brygga.cases.models import Case
        from brygga.stats.report import build_report

        today = timezone.localdate()
        period = Period(options["year"] or today.year, options["quarter"])
        self.stdout.write(f"{connection.vendor}, {Case.objects.count()} cases, {period.label}")
        best = None
        for run in range(1, options["repeat"] + 1):
            timer = Timer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                build_report(period, None, today)
            wall = time.perf_counter() - started
            self.stdout.write(
                f"run {run}: {timer.queries} queries, database {timer.seconds * 1000:.0f} ms, "
                f"wall {wall * 1000:.0f} ms"
            )
            if best is None or timer.seconds < best.seconds:
                best = timer
        assert best is not None
        self.stdout.write(f"best database time: {best.seconds * 1000:.0f} ms")
        for spent, sql in sorted(best.slowest, reverse=True)[:8]:
            self.stdout.write(f"  {spent * 1000:7.1f} ms  {sql}")
