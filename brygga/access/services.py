"""Emergency access: grant, refuse and acknowledge, each atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from brygga.access import policy
from brygga.access.models import EmergencyAccess
from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.organisation.models import Unit
from brygga.organisation.roles import unit_ids_with_role


def case_open_to_emergency_access(user: Any, case_number: int) -> Case | None:
    """The case, if it exists in a municipality where the user works; else None (no hint why)."""
    own_units = unit_ids_with_role(user, *policy.CASEWORK_ROLES)
    municipalities = Unit.objects.filter(pk__in=own_units).values("administration__municipality_id")
    return (
        Case.objects.filter(
            pk=case_number, owning_unit__administration__municipality_id__in=municipalities
        )
        .select_related("person")
        .first()
    )


def needs_emergency_access(user: Any, case: Case) -> bool:
    """Neither on the case team in the owning unit, nor its manager, nor already granted.

    A worker who moved to another district and is still on an old case team needs it: the
    membership stopped counting when they left the owning unit (`policy.visible_cases`).
    """
    return not (
        policy.sees_case_without_emergency(user, case)
        or policy.has_active_emergency_access(user, case)
    )


@transaction.atomic
def grant_emergency_access(request: HttpRequest, case: Case, reason: str) -> EmergencyAccess:
    access = EmergencyAccess.objects.create(
        user_id=request.user.pk,  # type: ignore[misc]
        case=case,
        reason=reason,
    )
    record(
        request,
        Action.EMERGENCY_ACCESS,
        obj=case,
        person_id=case.person_id,
        reason=reason,
        detail={"granted": True, "expires_at": access.expires_at.isoformat()},
    )
    return access


def refuse_emergency_access(request: HttpRequest, case_number: int, reason: str) -> None:
    """Logged too: repeated refusals are how someone probing case numbers shows up."""
    record(
        request,
        Action.EMERGENCY_ACCESS,
        reason=reason,
        detail={"granted": False, "case_number": case_number},
    )


@transaction.atomic
def acknowledge(request: HttpRequest, access: EmergencyAccess) -> None:
    access.acknowledged_by = request.user  # type: ignore[assignment]
    access.acknowledged_at = timezone.now()
    access.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record_change(
        request, Action.UPDATE, access, access.case.person_id, changed=["acknowledged_at"]
    )
