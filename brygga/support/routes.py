"""Routes per district: who decides an intervention type, who carries it out, who owns it.

`proposals_for_district` reads a district's routes in one query; a `Proposal` is what the plan's
actor picker fills in for the chosen type (still changeable by the worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from brygga.organisation.models import Role
from brygga.support.models import ActorKind, DistrictRoute


@dataclass(frozen=True)
class Proposal:
    type_id: int
    deciding_unit: str
    carrying_unit: str
    owner_role: str
    owner_unit_id: int
    owner_unit: str

    def initial(self) -> dict[str, Any]:
        """Initial values of the intervention form: a role in a unit, and the provider."""
        return {
            "actor_kind": ActorKind.ROLE.value,
            "actor_role": self.owner_role,
            "actor_unit": self.owner_unit_id,
            "provider": self.carrying_unit,
        }

    def hint(self) -> str:
        return _(
            "Enligt stadsdelens rutin beslutar %(deciding)s och %(carrying)s utför insatsen. "
            "Ansvarig föreslås: %(role)s, %(owner)s. Du kan ändra förslaget."
        ) % {
            "deciding": self.deciding_unit,
            "carrying": self.carrying_unit,
            "role": Role(self.owner_role).label,
            "owner": self.owner_unit,
        }

    def as_json(self) -> dict[str, Any]:
        return {**self.initial(), "hint": self.hint()}


def district_routes(district_id: int | None):  # type: ignore[no-untyped-def]
    """The district's routes that can still be proposed: a route whose owner unit has been
    deactivated since would propose a unit the picker no longer offers."""
    return DistrictRoute.objects.filter(
        district_id=district_id,
        owner_unit__active=True,
        owner_unit__administration__active=True,
    ).select_related("deciding_unit", "carrying_unit", "owner_unit")


def proposals_for_district(district_id: int | None) -> dict[int, Proposal]:
    """The district's routes by intervention type id; one query."""
    return {
        route.intervention_type_id: Proposal(
            type_id=route.intervention_type_id,
            deciding_unit=route.deciding_unit.name,
            carrying_unit=route.carrying_unit.name,
            owner_role=route.owner_role,
            owner_unit_id=route.owner_unit_id,
            owner_unit=route.owner_unit.name,
        )
        for route in district_routes(district_id)
    }


def chosen_type_id(raw: str | None) -> int | None:
    """The intervention type asked for in the query string, if it is a plausible id."""
    if raw is None or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)
