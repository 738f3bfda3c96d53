"""Recompute the precomputed state of every case from the records (docs/decisions/0120)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from brygga.support.state import rebuild


class Command(BaseCommand):
    help = "Recompute every case's precomputed state (support.CaseState, CaseAreaState)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        cases, areas = rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Case state rebuilt: {cases} cases, {areas} need areas, {seconds:.1f} s."
        )
