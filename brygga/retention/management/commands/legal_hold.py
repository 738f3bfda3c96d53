"""Record or lift a legal hold on a case: the case is kept whatever the retention rules say.

manage.py legal_hold --case 123 --ground court --reason "…" --decided-by anna.chef
manage.py legal_hold --case 123 --lift --reason "…" --decided-by anna.chef
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from brygga.cases.models import Case
from brygga.organisation.models import User
from brygga.retention import holds
from brygga.retention.models import HoldGround, LegalHold


class Command(BaseCommand):
    help = "Record (or --lift) a legal hold that keeps a case from retention removal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", type=int, required=True)
        parser.add_argument("--decided-by", required=True, help="Username of who decided.")
        parser.add_argument("--ground", choices=HoldGround.values)
        parser.add_argument("--reason", default="")
        parser.add_argument("--lift", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        case = Case.objects.filter(pk=options["case"]).first()
        decider = User.objects.filter(username=options["decided_by"]).first()
        if case is None or decider is None:
            raise CommandError("No such case or user.")
        reason = options["reason"].strip()
        if options["lift"]:
            in_force = list(LegalHold.objects.in_force().filter(case=case))
            if not in_force:
                raise CommandError("The case has no legal hold in force.")
            if not reason:
                raise CommandError("Lifting a legal hold needs --reason.")
            with transaction.atomic():
                for hold in in_force:
                    holds.lift_hold(None, hold, reason=reason, lifted_by=decider)
            self.stdout.write(f"Lifted the legal hold on case {case.pk}.")
            return
        if not options["ground"] or not reason:
            raise CommandError("A legal hold needs --ground and --reason.")
        hold = holds.record_hold(
            None, case, ground=options["ground"], reason=reason, decided_by=decider
        )
        self.stdout.write(f"Case {case.pk} is on legal hold ({hold.get_ground_display()}).")
