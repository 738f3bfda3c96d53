"""Retention (gallring): list what the rules remove today, per unit, or remove it.

manage.py gallring --dry-run      # the list for the archive authority's review; changes nothing
manage.py gallring                # removes, leaves tombstones and one audit event per case
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from brygga.lib.commands import iso_date
from brygga.organisation.models import Unit
from brygga.retention import services

KEPT_REASONS = {
    "research": "födda den 5, 15 eller 25 (bevaras för forskning)",
    "legal_hold": "bevarandebeslut",
    "not_yet": "tiden har inte gått ut",
}


class Command(BaseCommand):
    help = "Remove the cases the retention rules (SoL 12 kap. 1 §) say are due; --dry-run lists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; change nothing.")
        parser.add_argument("--today", type=iso_date, help="Judge as on this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._list(services.review(options["today"]))
            return
        result = services.run(options["today"])
        for case_id, why in sorted(result.refused.items()):
            self.stderr.write(f"Ärende {case_id} kunde inte gallras ({why}); inget ändrat.")
        self.stdout.write(self.style.SUCCESS(f"Gallrade ärenden: {result.removed}."))

    def _list(self, review: services.Review) -> None:
        units = {
            unit.pk: f"{unit.name} ({unit.administration.name})"
            for unit in Unit.objects.select_related("administration")
        }
        self.stdout.write(f"Gallring per {review.today:%Y-%m-%d} (provkörning, inget ändras)")
        for unit_id in sorted(set(review.due) | set(review.kept), key=lambda u: units.get(u, "")):
            due = review.due.get(unit_id, [])
            self.stdout.write(f"\n{units.get(unit_id, unit_id)}: {len(due)} ärenden gallras")
            for candidate in due:
                self.stdout.write(
                    f"  ärende {candidate.case_id}: öppnat {candidate.opened_on.year}, "
                    f"sista anteckning {candidate.last_entry:%Y-%m-%d}, "
                    f"senast {candidate.verdict.remove_by:%Y-%m-%d}"
                )
            for reason, count in sorted(review.kept.get(unit_id, {}).items()):
                self.stdout.write(f"  bevaras: {count} ({KEPT_REASONS.get(reason, reason)})")
        self.stdout.write(f"\nTotalt: {review.due_count} ärenden gallras.")
