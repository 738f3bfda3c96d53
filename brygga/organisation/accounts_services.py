"""Account changes by administrators: each atomic, each audited. Users are never deleted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation.models import Membership, Unit, User


@transaction.atomic
def create_user(request: HttpRequest, user: User, password: str) -> User:
    user.set_password(password)
    user.save()
    record(request, Action.CREATE, obj=user, detail={"account": user.username})
    return user


@transaction.atomic
def update_names(request: HttpRequest, user: User, changed: list[str]) -> None:
    if changed:
        user.save(update_fields=sorted(changed))
        record(request, Action.UPDATE, obj=user, detail={"fields": sorted(changed)})


@transaction.atomic
def add_membership(request: HttpRequest, user: User, role: str, unit: Unit | None) -> Membership:
    membership = Membership.objects.create(user=user, role=role, unit=unit)
    record(
        request,
        Action.UPDATE,
        obj=user,
        detail={"membership_added": {"role": role, "unit": unit.pk if unit else None}},
    )
    return membership


@transaction.atomic
def remove_membership(request: HttpRequest, membership: Membership) -> None:
    detail: dict[str, Any] = {"role": membership.role, "unit": membership.unit_id}
    user = membership.user
    membership.delete()
    record(request, Action.UPDATE, obj=user, detail={"membership_removed": detail})


@transaction.atomic
def set_active(request: HttpRequest, user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(request, Action.UPDATE, obj=user, detail={"is_active": active})


@transaction.atomic
def reset_second_factor(request: HttpRequest, user: User) -> int:
    """The user enrols a new authenticator at the next login."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    record(request, Action.UPDATE, obj=user, detail={"second_factor_reset": count})
    return count
