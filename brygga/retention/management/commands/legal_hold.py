"""Record or lift a legal hold on a case: the case is kept whatever the retention rules say.

manage.py legal_hold --case 123 --ground court --reason "…" --decided-by anna.chef
manage.py legal_hold --case 123 --lift --decided-by anna.chef
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.organisation.models import User
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
        with transaction.atomic():
            if options["lift"]:
                holds = list(LegalHold.objects.in_force().filter(case=case).select_for_update())
                if not holds:
                    raise CommandError("The case has no legal hold in force.")
                for hold in holds:
                    hold.lifted_on, hold.lifted_by = timezone.localdate(), decider
                    hold.save(update_fields=["lifted_on", "lifted_by"])
                    record(None, Action.UPDATE, user=decider, obj=hold, person_id=case.person_id,
                           detail={"fields": ["lifted_on"]})  # fmt: skip
                self.stdout.write(f"Lifted the legal hold on case {case.pk}.")
                return
            if not options["ground"] or not options["reason"].strip():
                raise CommandError("A legal hold needs --ground and --reason.")
            hold = LegalHold.objects.create(
                case=case, ground=options["ground"], reason=options["reason"], decided_by=decider
            )
            record(None, Action.CREATE, user=decider, obj=hold, person_id=case.person_id,
                   detail={"ground": hold.ground})  # fmt: skip
        self.stdout.write(f"Case {case.pk} is on legal hold ({hold.get_ground_display()}).")
