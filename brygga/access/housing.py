"""Who may see, allocate and reveal transitional housing. Default deny.

- The inventory (kind, size, landlord, status, who holds it) is visible to the casework staff
  of the unit holding the flats; never to the network role, statisticians or administrators.
- Workers and managers of the holding unit allocate its flats (from a decision on a case they
  may change).
- The ADDRESS is revealed only to the holding unit's managers, who run the inventory, and to
  the case team of the case that holds the flat now (those who allocated it and support the
  tenancy). Every reveal is audited against the tenant.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from brygga.access.policy import visible_cases
from brygga.cases.models import CaseTeamMember, TeamRole
from brygga.housing.models import Allocation, Flat
from brygga.organisation.models import Role
from brygga.organisation.roles import unit_ids_with_role

INVENTORY_ROLES = (Role.WORKER, Role.MANAGER, Role.HOUSING_SUPPORT)
ALLOCATING_ROLES = (Role.WORKER, Role.MANAGER)
TENANCY_TEAM_ROLES = (TeamRole.RESPONSIBLE, TeamRole.WORKER, TeamRole.HOUSING_SUPPORT)


def inventory_unit_ids(user: Any) -> set[int]:
    return unit_ids_with_role(user, *INVENTORY_ROLES)


def visible_flats(user: Any) -> QuerySet[Flat]:
    if not getattr(user, "is_authenticated", False):
        return Flat.objects.none()
    return Flat.objects.filter(
        holding_unit_id__in=inventory_unit_ids(user), removed_on__isnull=True
    )


def allocatable_flats(user: Any) -> QuerySet[Flat]:
    units = unit_ids_with_role(user, *ALLOCATING_ROLES)
    return Flat.objects.filter(holding_unit_id__in=units, removed_on__isnull=True, blocked=False)


def may_allocate(user: Any, flat: Flat) -> bool:
    return flat.holding_unit_id in unit_ids_with_role(user, *ALLOCATING_ROLES)


def may_manage_inventory(user: Any, flat: Flat) -> bool:
    return flat.holding_unit_id in unit_ids_with_role(user, Role.MANAGER)


def current_allocation(flat: Flat) -> Allocation | None:
    return Allocation.objects.filter(flat=flat, ended_on__isnull=True).first()


def may_reveal_address(user: Any, flat: Flat, allocation: Allocation | None) -> bool:
    """The holding unit's managers, or the current tenancy's case team (still in its unit)."""
    if may_manage_inventory(user, flat):
        return True
    if allocation is None:
        return False
    on_team = CaseTeamMember.objects.filter(
        case_id=allocation.case_id, user_id=user.pk, role__in=TENANCY_TEAM_ROLES
    )
    return on_team.exists() and visible_cases(user).filter(pk=allocation.case_id).exists()


ViewFunc = Callable[..., HttpResponse]


def flat_view(view: ViewFunc) -> ViewFunc:
    """Replaces `flat_id` with a flat of the user's inventory, or 404 (same as not existing)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, flat_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        flat = get_object_or_404(
            visible_flats(request.user).select_related("district", "holding_unit"), pk=flat_id
        )
        return view(request, flat, *args, **kwargs)

    wrapper.access_rule = "flat:view"  # type: ignore[attr-defined]
    return wrapper


def require(condition: bool) -> None:
    if not condition:
        raise Http404(_("Sidan finns inte."))
