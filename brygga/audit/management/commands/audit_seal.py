"""Chains pending audit events (decision 0080). Run it as its own process in production."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from brygga.audit.chain import seal


class Command(BaseCommand):
    help = "Seal pending audit events into the hash chain; --loop keeps doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--loop", action="store_true", help="Seal every --interval seconds.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sealed = seal(using=options["database"], batch_size=options["batch_size"])
            if sealed or not options["loop"]:
                self.stdout.write(f"Sealed {sealed} audit event(s).")
            if not options["loop"]:
                return
            connections.close_all()
            time.sleep(options["interval"])
