"""The routes of every district side by side: which unit decides and carries out what.

Not about any person: the same for every filter of the city view. One query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from brygga.organisation.models import Administration, Unit
from brygga.support.models import DistrictRoute


@dataclass(frozen=True)
class RouteCell:
    deciding: str
    carrying: str

    @property
    def same_unit(self) -> bool:
        return self.deciding == self.carrying


@dataclass(frozen=True)
class RouteRow:
    type_name: str
    cells: list[RouteCell | None]  # in the order of RouteTable.districts
    differs: bool  # not every district routes it the same way


@dataclass(frozen=True)
class RouteTable:
    districts: list[str]
    rows: list[RouteRow]


def route_rows(table: RouteTable) -> list[list[str]]:
    """The route table as rows of strings for the spreadsheet export."""
    header = [_("Insats"), *table.districts]
    body = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("")
            elif cell.same_unit:
                cells.append(_("Beslutar och utför: %(unit)s") % {"unit": cell.deciding})
            else:
                cells.append(
                    _("Beslutar: %(deciding)s; utför: %(carrying)s")
                    % {"deciding": cell.deciding, "carrying": cell.carrying}
                )
        body.append([row.type_name, *cells])
    return [header, *body]


def _label(unit: Unit) -> str:
    """The unit's kind says more across districts than its name (which repeats the district)."""
    return unit.name if unit.kind == Unit.Kind.OTHER else str(unit.get_kind_display())


def route_table() -> RouteTable:
    routes = list(
        DistrictRoute.objects.filter(
            district__kind=Administration.Kind.DISTRICT, district__active=True
        ).select_related("district", "intervention_type", "deciding_unit", "carrying_unit")
    )
    districts = sorted({r.district.name for r in routes})
    by_type: dict[str, dict[str, RouteCell]] = {}
    for route in routes:
        cell = RouteCell(_label(route.deciding_unit), _label(route.carrying_unit))
        by_type.setdefault(route.intervention_type.name, {})[route.district.name] = cell
    rows = []
    for type_name in sorted(by_type):
        cells = [by_type[type_name].get(d) for d in districts]
        rows.append(RouteRow(type_name, cells, len(set(cells)) > 1))
    return RouteTable(districts, rows)
