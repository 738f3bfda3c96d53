"""Changes to districts, units and teams: each atomic, each audited. Nothing is ever deleted:
cases, staff, flats and the log point at them, so they are deactivated instead."""

from __future__ import annotations

from django.db import models, transaction
from django.http import HttpRequest

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation.models import Membership, Team


@transaction.atomic
def save(request: HttpRequest, obj: models.Model, changed: list[str]) -> models.Model:
    """Create `obj`, or save the fields that changed; one audit event names them."""
    created = obj.pk is None
    if created:
        obj.save()
    elif changed:
        obj.save(update_fields=sorted(changed))
    else:
        return obj
    record(
        request,
        Action.CREATE if created else Action.UPDATE,
        obj=obj,
        detail={"fields": sorted(changed)},
    )
    return obj


@transaction.atomic
def set_active(request: HttpRequest, obj: models.Model, active: bool) -> None:
    if obj.active == active:  # type: ignore[attr-defined]
        return
    obj.active = active  # type: ignore[attr-defined]
    obj.save(update_fields=["active"])
    record(request, Action.UPDATE, obj=obj, detail={"active": active})


@transaction.atomic
def set_team(request: HttpRequest, membership: Membership, team: Team | None) -> None:
    if membership.team_id == (team.pk if team else None):
        return
    membership.team = team
    membership.save(update_fields=["team"])
    record(
        request,
        Action.UPDATE,
        obj=membership.user,
        detail={"membership": membership.pk, "team": team.pk if team else None},
    )
