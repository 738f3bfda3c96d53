"""Remove the audit rows older than AUDIT_RETENTION_YEARS, keeping the rest verifiable.

manage.py audit_retention --dry-run      # how many rows would go, and from which row it keeps
manage.py audit_retention                # removes them behind a sealed anchor (decision 0092)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from brygga.audit import anchor
from brygga.audit.retention import remove_old_rows
from brygga.lib.commands import iso_date


class Command(BaseCommand):
    help = "Remove audit rows older than AUDIT_RETENTION_YEARS behind a sealed anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--today", type=iso_date, help="Judge as on this day (YYYY-MM-DD).")
        parser.add_argument("--years", type=int, help="Override AUDIT_RETENTION_YEARS.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        years = options["years"] if options["years"] is not None else settings.AUDIT_RETENTION_YEARS
        if years < 1:
            raise CommandError("The retention period is at least one year.")
        if options["dry_run"]:
            count, first_kept = anchor.due(anchor.cutoff(today, years))
            kept = first_kept.pk if first_kept else "-"
            self.stdout.write(f"Would remove {count} audit row(s); the log would start at #{kept}.")
            return
        try:
            result = remove_old_rows(today, years)
        except anchor.NotVerified as exc:
            raise CommandError(
                f"The audit chain does not verify ({exc}); nothing removed."
            ) from exc
        self.stdout.write(f"Removed {result.removed} audit row(s).")
