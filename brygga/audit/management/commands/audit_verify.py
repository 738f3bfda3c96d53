"""Checks the audit log's hash chain: a changed, removed or inserted row makes it fail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain; exits non-zero if any row was tampered with. "
        "Rows not yet sealed (audit_seal) are counted as pending, not verified."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--max-problems", type=int, default=50, help="How many problems to print at most."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify(using=options["database"])
        for problem in result.problems[: options["max_problems"]]:
            self.stderr.write(str(problem))
        summary = (
            f"checked={result.checked} pending={result.pending} "
            f"unchained_before_chain={result.unchained} "
            f"head_id={result.head_id} head_hash={result.head_hash}"
        )
        if not result.ok:
            raise CommandError(f"Audit chain broken: {len(result.problems)} problem(s). {summary}")
        self.stdout.write(f"Audit chain intact. {summary}")
