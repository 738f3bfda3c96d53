"""Demo transitional housing: each district's inventory differs, as in Stockholm 2020.

Some districts have emergency flats and some none; all have SHIS transitional flats, a few
training flats. Flats are allocated from the housing decisions of the district's cases, with a
year of history; cases with a planned or applied housing decision wait in the queue.
Addresses are Faker's, marked fictional. Bulk inserts only: never a query per case.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password

from brygga.housing.models import (
    Allocation,
    Flat,
    FlatKind,
    LeftReason,
    MovedTo,
    Priority,
    WaitingEntry,
    WaitingNorm,
)
from brygga.lib.demo_world import BATCH, DEMO_PASSWORD, DemoWorld
from brygga.organisation.models import Membership, Role, User
from brygga.support.models import Intervention, InterventionStatus

DAY = datetime.timedelta(days=1)
LANDLORDS = ["SHIS Bostäder", "Familjebostäder", "Stockholmshem", "Svenska Bostäder", "Micasa"]
PREFIX: dict[str, str] = {
    FlatKind.EMERGENCY: "JL",
    FlatKind.TRANSITIONAL: "GB",
    FlatKind.TRAINING: "TL",
    FlatKind.OTHER: "TB",
}
# (kind, typical stay in days): emergency flats are short stays, SHIS flats long.
STAY: dict[str, tuple[int, int]] = {
    FlatKind.EMERGENCY: (14, 120),
    FlatKind.TRANSITIONAL: (150, 540),
    FlatKind.TRAINING: (90, 300),
    FlatKind.OTHER: (30, 180),
}
TYPE_KIND = {"Jourlägenhet": FlatKind.EMERGENCY, "Genomgångsbostad (SHIS)": FlatKind.TRANSITIONAL}
MOVED_TO_WEIGHTS = [
    (MovedTo.OWN_LEASE, 35),
    (MovedTo.SECOND_HAND, 25),
    (MovedTo.PROTECTED_HOUSING, 8),
    (MovedTo.FAMILY, 7),
    (MovedTo.UNKNOWN, 25),
]
CARRYING = {InterventionStatus.GRANTED, InterventionStatus.ACTIVE}
LEFT_REASONS = [
    LeftReason.HOUSED_ELSEWHERE,
    LeftReason.NO_LONGER_NEEDED,
    LeftReason.MOVED_AWAY,
    LeftReason.DECLINED,
    LeftReason.OTHER,
]
WAITING = {
    InterventionStatus.PLANNED,
    InterventionStatus.APPLIED,
    InterventionStatus.AWAITING_MANAGER,
}


def _inventory(rng: random.Random, index: int) -> dict[str, int]:
    """How many flats of each kind a district holds; every third district has no emergency flat."""
    return {
        FlatKind.EMERGENCY: 0 if index % 3 == 1 else rng.randint(1, 4),
        FlatKind.TRANSITIONAL: rng.randint(2, 9),
        FlatKind.TRAINING: rng.randint(0, 2) if index % 2 == 0 else 0,
        FlatKind.OTHER: 1 if index % 5 == 0 else 0,
    }


def _moved_to(rng: random.Random) -> str:
    values, weights = zip(*MOVED_TO_WEIGHTS, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def build(world: DemoWorld) -> None:
    rng, fake, today = world.rng, world.faker, world.today
    _network_login(world)
    decisions = _housing_decisions()
    flats: list[Flat] = []
    for index, district in enumerate(world.districts):
        administration = district.unit.administration
        for kind, count in _inventory(rng, index).items():
            for n in range(1, count + 1):
                flats.append(
                    Flat(
                        district=administration,
                        holding_unit=district.unit,
                        kind=kind,
                        label=f"{PREFIX[kind]}-{district.slug[:3].upper()}-{n:02d}",
                        rooms=rng.choice([1, 1, 2, 2, 3]),
                        area_sqm=rng.randint(24, 70),
                        landlord="SHIS Bostäder"
                        if kind == FlatKind.TRANSITIONAL
                        else rng.choice(LANDLORDS),
                        available_from=today - rng.randint(430, 1500) * DAY,
                        blocked=rng.random() < 0.06,
                        address=f"{fake.street_address()}, {fake.postcode()} Stockholm (fiktiv)",
                    )
                )
        WaitingNorm.objects.bulk_create(
            WaitingNorm(district=administration, kind=kind, days=days)
            for kind, days in (
                (FlatKind.EMERGENCY, rng.choice([7, 14, 30])),
                (FlatKind.TRANSITIONAL, rng.choice([60, 90, 120])),
            )
        )
    flats = Flat.objects.bulk_create(flats, batch_size=BATCH)
    allocations, waits = _allocations(rng, today, flats, decisions)
    Allocation.objects.bulk_create(allocations, batch_size=BATCH)
    WaitingEntry.objects.bulk_create(waits, batch_size=BATCH)


def _network_login(world: DemoWorld) -> None:
    user = User.objects.create(
        username="natverk",
        first_name=world.faker.first_name_female(),
        last_name=world.faker.last_name(),
        password=make_password(DEMO_PASSWORD),
        is_demo=True,
    )
    Membership.objects.create(user=user, role=Role.NETWORK, unit=None)
    world.logins.append(("natverk", "stadsövergripande samordnare (nätverket)"))


def _housing_decisions() -> dict[int, list[dict[str, Any]]]:
    """Housing decisions of emergency and SHIS flats, per owning unit, in one query."""
    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Intervention.objects.filter(type__name__in=list(TYPE_KIND)).values(
        "pk",
        "case_id",
        "status",
        "period_start",
        "period_end",
        "type__name",
        "case__owning_unit_id",
        "case__owning_unit__administration_id",
    )
    for row in rows.order_by("pk"):
        by_unit[row["case__owning_unit_id"]].append(dict(row))
    return by_unit


def _allocations(
    rng: random.Random,
    today: datetime.date,
    flats: list[Flat],
    decisions: dict[int, list[dict[str, Any]]],
) -> tuple[list[Allocation], list[WaitingEntry]]:
    allocations: list[Allocation] = []
    waits: list[WaitingEntry] = []
    used: set[int] = set()
    by_unit: dict[int, list[Flat]] = defaultdict(list)
    for flat in flats:
        by_unit[flat.holding_unit_id].append(flat)
    for unit_id, unit_flats in by_unit.items():
        pool = decisions.get(unit_id, [])
        current = [d for d in pool if d["status"] in CARRYING]
        history = [d for d in pool if d["status"] == InterventionStatus.ENDED] or current
        for flat in unit_flats:
            lo, hi = STAY[flat.kind]
            wanted = [d for d in current if TYPE_KIND[d["type__name"]] == flat.kind]
            # A year of past stays, then (unless blocked or a free spell) the present one.
            day = today - rng.randint(330, 420) * DAY
            while history:
                stay = rng.randint(lo, hi)
                if day + stay * DAY >= today - 10 * DAY:
                    break
                d = rng.choice(history)
                allocations.append(
                    Allocation(
                        flat=flat,
                        case_id=d["case_id"],
                        intervention_id=d["pk"],
                        starts_on=day,
                        ended_on=day + stay * DAY,
                        moved_to=_moved_to(rng),
                    )
                )
                day += (stay + rng.randint(3, 40)) * DAY
            free = [d for d in wanted if d["case_id"] not in used]
            if flat.blocked or not free or day > today or rng.random() < 0.2:
                continue
            d = free[0]
            used.add(d["case_id"])
            starts_on = max(day, today - rng.randint(5, lo * 2) * DAY)
            allocations.append(
                Allocation(
                    flat=flat,
                    case_id=d["case_id"],
                    intervention_id=d["pk"],
                    starts_on=starts_on,
                    until=d["period_end"],
                )
            )
            # She waited for it first: the wait ended the day she moved in.
            waits.append(
                WaitingEntry(
                    case_id=d["case_id"],
                    district_id=d["case__owning_unit__administration_id"],
                    kind=flat.kind,
                    since=starts_on - rng.randint(10, 150) * DAY,
                    priority=rng.choice([Priority.URGENT, Priority.HIGH, Priority.NORMAL]),
                    left_on=starts_on,
                    left_reason=LeftReason.ALLOCATED,
                )
            )
        # Some left the list without a flat from the city, each with a reason.
        for d in [d for d in history if d["case_id"] not in used][:3]:
            since = today - rng.randint(120, 300) * DAY
            reason = rng.choice(LEFT_REASONS)
            waits.append(
                WaitingEntry(
                    case_id=d["case_id"],
                    district_id=d["case__owning_unit__administration_id"],
                    kind=TYPE_KIND[d["type__name"]],
                    since=since,
                    left_on=since + rng.randint(5, 100) * DAY,
                    left_reason=reason,
                    left_note="Fiktiv kommentar (demo)." if reason == LeftReason.OTHER else "",
                )
            )
        # Waiting: undecided housing decisions, and granted ones with no flat to give.
        for d in pool:
            if d["status"] in WAITING | CARRYING and d["case_id"] not in used:
                waits.append(
                    WaitingEntry(
                        case_id=d["case_id"],
                        district_id=d["case__owning_unit__administration_id"],
                        kind=TYPE_KIND[d["type__name"]],
                        since=today - rng.randint(3, 200) * DAY,
                        priority=rng.choice([Priority.URGENT, Priority.HIGH, Priority.NORMAL]),
                    )
                )
                used.add(d["case_id"])
    return allocations, waits
