"""Transitional housing rules as pure functions over small facts: tested by hand-computed data."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# What an ended allocation means as an outcome event of the case (brygga.cases.OutcomeKind).
# A second-hand lease or an unknown destination is kept on the allocation only.
OUTCOME_FOR_MOVE = {
    "own_lease": "own_tenancy",
    "protected_housing": "new_protected_stay",
    "family": "returned_to_family",
}
DEFAULT_NORM_DAYS = 60


@dataclass(frozen=True)
class Period:
    """Occupied days [starts_on, ended_on); an open end means still held."""

    starts_on: datetime.date
    ended_on: datetime.date | None = None


def overlaps(a: Period, b: Period) -> bool:
    """Two half-open periods share at least one day. An empty period overlaps nothing."""
    if a.ended_on is not None and a.ended_on <= a.starts_on:
        return False
    if b.ended_on is not None and b.ended_on <= b.starts_on:
        return False
    a_before_b_ends = b.ended_on is None or a.starts_on < b.ended_on
    b_before_a_ends = a.ended_on is None or b.starts_on < a.ended_on
    return a_before_b_ends and b_before_a_ends


def status(blocked: bool, held: bool) -> str:
    if held:
        return "held"
    return "blocked" if blocked else "free"


def is_held_on(periods: Iterable[Period], day: datetime.date) -> bool:
    return any(overlaps(p, Period(day, day + datetime.timedelta(days=1))) for p in periods)


@dataclass(frozen=True)
class FlatFact:
    pk: int
    available_from: datetime.date
    removed_on: datetime.date | None = None


@dataclass(frozen=True)
class AllocationFact:
    flat_id: int
    starts_on: datetime.date
    ended_on: datetime.date | None = None


@dataclass(frozen=True)
class Occupancy:
    flats: int
    flat_days: int
    occupied_days: int
    moves_in: int
    stays_ended: int
    average_stay_days: float | None

    @property
    def share_occupied(self) -> float | None:
        return self.occupied_days / self.flat_days if self.flat_days else None

    @property
    def turnover(self) -> float | None:
        """Allocations started in the period per flat in the inventory."""
        return self.moves_in / self.flats if self.flats else None


def _clip(
    start: datetime.date, end: datetime.date | None, lo: datetime.date, hi: datetime.date
) -> int:
    """Days of [start, end) inside [lo, hi)."""
    a = max(start, lo)
    b = min(end or hi, hi)
    return max((b - a).days, 0)


def occupancy(
    flats: Iterable[FlatFact],
    allocations: Iterable[AllocationFact],
    start: datetime.date,
    end: datetime.date,
) -> Occupancy:
    """Occupancy of `flats` in the days [start, end).

    flat-days count the days each flat was in the inventory; occupied days those an allocation
    held it; the average stay is over allocations that ended inside the period (whole stay).
    """
    flats = list(flats)
    ids = {f.pk for f in flats}
    flat_days = sum(_clip(f.available_from, f.removed_on, start, end) for f in flats)
    in_inventory = sum(1 for f in flats if _clip(f.available_from, f.removed_on, start, end) > 0)
    held = [a for a in allocations if a.flat_id in ids]
    occupied = sum(_clip(a.starts_on, a.ended_on, start, end) for a in held)
    moves_in = sum(1 for a in held if start <= a.starts_on < end)
    ended = [a for a in held if a.ended_on is not None and start <= a.ended_on < end]
    stays = [(a.ended_on - a.starts_on).days for a in ended if a.ended_on is not None]
    return Occupancy(
        flats=in_inventory,
        flat_days=flat_days,
        occupied_days=occupied,
        moves_in=moves_in,
        stays_ended=len(ended),
        average_stay_days=statistics.fmean(stays) if stays else None,
    )


@dataclass(frozen=True)
class WaitFact:
    case_id: int
    district_id: int
    kind: str
    since: datetime.date


def waiting_days(since: datetime.date, today: datetime.date) -> int:
    return max((today - since).days, 0)


def overdue_waits(
    waits: Iterable[WaitFact], norms: Mapping[tuple[int, str], int], today: datetime.date
) -> list[tuple[WaitFact, int, int]]:
    """Waits longer than their district's norm for the kind: (wait, days waited, norm)."""
    overdue = []
    for wait in waits:
        norm = norms.get((wait.district_id, wait.kind), DEFAULT_NORM_DAYS)
        days = waiting_days(wait.since, today)
        if days > norm:
            overdue.append((wait, days, norm))
    return overdue
