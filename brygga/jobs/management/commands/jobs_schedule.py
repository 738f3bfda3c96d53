"""Enqueue the nightly jobs (retention, recomputation, reminders) once for the day.

Run it from cron or a systemd timer, e.g. at 02:00; `manage.py db_worker` runs what it enqueues.
Running it twice the same day enqueues nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from brygga.jobs import runs, tasks
from brygga.lib.commands import iso_date


class Command(BaseCommand):
    help = "Enqueue today's scheduled jobs (once per day); a worker (db_worker) runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=iso_date, help="Schedule as on this day (YYYY-MM-DD).")
        parser.add_argument(
            "--job", action="append", choices=sorted(tasks.JOBS), help="Only this job (repeat)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["today"] or timezone.localdate()
        names = tuple(options["job"] or tasks.NIGHTLY)
        enqueued = runs.schedule(day, names)
        self.stdout.write(f"Enqueued for {day:%Y-%m-%d}: {', '.join(enqueued) or 'nothing new'}.")
