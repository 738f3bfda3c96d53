"""Bulk reads for the housing pages: each a fixed number of queries whatever the volume."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from brygga.access.policy import visible_cases
from brygga.housing import rules
from brygga.housing.models import (
    Allocation,
    Flat,
    FlatKind,
    FlatStatus,
    WaitingEntry,
    WaitingNorm,
)
from brygga.support.rules import add_months


@dataclass
class FlatRow:
    flat: Flat
    status: str
    status_label: Any
    holder: Allocation | None
    holder_visible: bool


def flat_rows(user: Any, flats: QuerySet[Flat], today: datetime.date) -> list[FlatRow]:
    """The inventory with each flat's status and current holder, in three queries."""
    flats_list = list(flats.select_related("district", "holding_unit"))
    current = {
        a.flat_id: a
        for a in Allocation.objects.filter(
            flat__in=[f.pk for f in flats_list], ended_on__isnull=True
        ).select_related("case__person")
    }
    case_ids = {a.case_id for a in current.values()}
    visible = set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    labels = dict(FlatStatus.choices)
    rows = []
    for flat in flats_list:
        holder = current.get(flat.pk)
        code = rules.status(flat.blocked, holder is not None and holder.starts_on <= today)
        rows.append(
            FlatRow(
                flat, code, labels[code], holder, holder is not None and holder.case_id in visible
            )
        )
    return rows


@dataclass
class WaitRow:
    entry: WaitingEntry
    days: int
    norm: int
    visible: bool

    @property
    def overdue(self) -> bool:
        return self.days > self.norm


def norms_for(district_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    return {
        (n.district_id, n.kind): n.days
        for n in WaitingNorm.objects.filter(district_id__in=list(district_ids))
    }


def waiting_rows(user: Any, district_ids: set[int], today: datetime.date) -> list[WaitRow]:
    entries = list(
        WaitingEntry.objects.filter(district_id__in=district_ids, left_on__isnull=True)
        .select_related("case__person", "district")
        .order_by("district__name", "kind", "priority", "since", "pk")
    )
    norms = norms_for(district_ids)
    visible = set(
        visible_cases(user).filter(pk__in={e.case_id for e in entries}).values_list("pk", flat=True)
    )
    return [
        WaitRow(
            entry=e,
            days=rules.waiting_days(e.since, today),
            norm=norms.get((e.district_id, e.kind), rules.DEFAULT_NORM_DAYS),
            visible=e.case_id in visible,
        )
        for e in entries
    ]


@dataclass
class OccupancyRow:
    district: str
    kind: str
    kind_label: str
    months: list[tuple[datetime.date, rules.Occupancy]]
    total: rules.Occupancy


def month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(months - 1, -1, -1)]


def occupancy_rows(
    district_ids: set[int], today: datetime.date, months: int = 12
) -> list[OccupancyRow]:
    """Per district and kind: occupancy of each of the last `months` months and of them all."""
    flats = list(
        Flat.objects.filter(district_id__in=district_ids)
        .select_related("district")
        .order_by("district__name", "kind")
    )
    allocations = [
        rules.AllocationFact(a.flat_id, a.starts_on, a.ended_on)
        for a in Allocation.objects.filter(flat__district_id__in=district_ids).only(
            "flat_id", "starts_on", "ended_on"
        )
    ]
    groups: dict[tuple[str, str], list[rules.FlatFact]] = defaultdict(list)
    for flat in flats:
        groups[(flat.district.name, flat.kind)].append(
            rules.FlatFact(flat.pk, flat.available_from, flat.removed_on)
        )
    starts = month_starts(today, months)
    end = today + datetime.timedelta(days=1)
    labels = dict(FlatKind.choices)
    rows = []
    for (district, kind), facts in sorted(groups.items()):
        per_month = []
        for i, start in enumerate(starts):
            stop = starts[i + 1] if i + 1 < len(starts) else end
            per_month.append((start, rules.occupancy(facts, allocations, start, stop)))
        rows.append(
            OccupancyRow(
                district=district,
                kind=kind,
                kind_label=str(labels[kind]),
                months=per_month,
                total=rules.occupancy(facts, allocations, starts[0], end),
            )
        )
    return rows
