"""A user's roles, loaded once per request and shared by access checks and audit."""

from __future__ import annotations

from typing import Any

from brygga.organisation.models import Membership, Role

_CACHE_ATTR = "_brygga_memberships"


def memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: Any, *roles: str) -> bool:
    return any(m.role in roles for m in memberships(user))


def unit_ids_with_role(user: Any, *roles: str) -> set[int]:
    return {m.unit_id for m in memberships(user) if m.role in roles and m.unit_id}


def is_administrator(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def roles_summary(user: Any) -> str:
    return ",".join(f"{m.role}@{m.unit_id or '-'}" for m in memberships(user))[:300]
