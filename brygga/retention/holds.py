"""Recording and lifting legal holds (bevarandebeslut): atomic, each with its audit event.

A hold in force keeps its case from retention removal (brygga/retention/services.py), whatever
the rules say. Used by the managers' page and by `manage.py legal_hold`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.retention.models import LegalHold


class AlreadyLifted(Exception):
    pass


@transaction.atomic
def record_hold(
    request: HttpRequest | None, case: Case, *, ground: str, reason: str, decided_by: Any
) -> LegalHold:
    hold = LegalHold.objects.create(case=case, ground=ground, reason=reason, decided_by=decided_by)
    record(
        request,
        Action.CREATE,
        user=decided_by,
        obj=hold,
        person_id=case.person_id,
        detail={"ground": ground},
    )
    return hold


@transaction.atomic
def lift_hold(request: HttpRequest | None, hold: LegalHold, *, reason: str, lifted_by: Any) -> None:
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_on is not None:
        raise AlreadyLifted(hold.pk)
    locked.lifted_on, locked.lifted_by, locked.lift_reason = timezone.localdate(), lifted_by, reason
    locked.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
    record(
        request,
        Action.UPDATE,
        user=lifted_by,
        obj=locked,
        person_id=hold.case.person_id,
        detail={"fields": ["lift_reason", "lifted_by", "lifted_on"]},
    )
    hold.lifted_on, hold.lifted_by, hold.lift_reason = locked.lifted_on, lifted_by, reason
