"""The support model's rules as pure functions: easy to test, shared by pages and queries."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from brygga.support.areas import CORE_AREAS, NEED_THRESHOLD

DEFAULT_FOLLOW_UP_MONTHS = (1, 3, 6, 12, 18, 24)
ENDING_SOON_DAYS = 30
FOLLOW_UP_DUE_DAYS = 14
# Whoever marked a task done by mistake may open it again this long afterwards; the case's
# workers may open it again at any time.
TASK_UNDO_HOURS = 24
CARRYING = frozenset({"granted", "active"})
CLOSED_PHASE = "closed"


def left_protected_housing_on(case: Any) -> datetime.date | None:
    """The day the person left protected housing (kept on the case from its stays), if known."""
    value = getattr(case, "left_protected_housing_on", None)
    return value if isinstance(value, datetime.date) else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months in the period start–end, both days included (1 Jan–31 Dec is 12)."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if add_months(start, months) > after:
        months -= 1
    return months


def follow_up_months(municipality_months: Iterable[int] | None = None) -> list[int]:
    months = list(municipality_months or getattr(settings, "FOLLOW_UP_MONTHS", None) or [])
    return sorted({int(m) for m in (months or DEFAULT_FOLLOW_UP_MONTHS) if int(m) > 0})


def follow_up_schedule(
    left_on: datetime.date | None, months: Iterable[int]
) -> list[tuple[int, datetime.date]]:
    """(months, planned date) for each follow-up; none before the person has left."""
    if left_on is None:
        return []
    return [(m, add_months(left_on, m)) for m in sorted(set(months))]


def default_period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` months; a type without a default period ends at once."""
    return max(start, add_months(start, months) - datetime.timedelta(days=1))


def is_short_period(
    start: datetime.date | None, end: datetime.date | None, minimum_months: int
) -> bool:
    """A decision period shorter than the type's minimum needs a written reason."""
    if start is None or end is None:
        return False
    return months_between(start, end) < minimum_months


def needs_manager_decision(
    type_needs_manager: bool, previous: str, wanted: str, user_is_manager: bool
) -> bool:
    """Granting or refusing outside the worker's delegation goes to the unit manager.

    Starting an intervention that is already granted is no new decision.
    """
    if not type_needs_manager or user_is_manager or previous == wanted:
        return False
    if wanted in {"granted", "refused"}:
        return True
    return wanted == "active" and previous not in CARRYING


@dataclass(frozen=True)
class AssessmentFact:
    area: str
    assessed_on: datetime.date
    level: int
    round_id: int = 0


@dataclass(frozen=True)
class InterventionFact:
    area: str
    status: str
    period_end: datetime.date | None = None


@dataclass(frozen=True)
class TaskFact:
    area: str
    has_owner: bool
    done: bool


def latest_levels(assessments: Iterable[AssessmentFact]) -> dict[str, int]:
    """Each area's latest level (ties on a date: the later round wins)."""
    latest: dict[str, AssessmentFact] = {}
    for fact in assessments:
        current = latest.get(fact.area)
        # `>=` would be the same: one round holds one assessment per area.
        if current is None or (fact.assessed_on, fact.round_id) > (  # pragma: no mutate
            current.assessed_on,
            current.round_id,
        ):
            latest[fact.area] = fact
    return {area: fact.level for area, fact in latest.items()}


def intervention_carries(fact: InterventionFact, today: datetime.date) -> bool:
    """Granted or active, and its decision period (if any) has not run out."""
    return fact.status in CARRYING and (fact.period_end is None or fact.period_end >= today)


def unassessed_core_areas(latest: Mapping[str, int]) -> list[str]:
    """The core needs (housing, occupation, social support) with no assessment yet."""
    return [area.value for area in CORE_AREAS if area.value not in latest]


def responsibility_gaps(
    *,
    phase: str,
    latest: Mapping[str, int],
    interventions: Iterable[InterventionFact],
    tasks: Iterable[TaskFact],
    today: datetime.date,
) -> list[str]:
    """Areas with a need nobody carries: the latest level shows a need (1–3), or the area is a
    core need that was never assessed (a gap from the day the case opens).

    Carried means a granted or active intervention in the area, or an open task there with an
    owner (a staff member, a role or an external organisation). A closed case has no gaps.
    Assessed areas come first, in the order given, then the unassessed core areas.
    """
    if phase == CLOSED_PHASE:
        return []
    carried = {i.area for i in interventions if intervention_carries(i, today)}
    carried |= {t.area for t in tasks if t.has_owner and not t.done}
    needs = [area for area, level in latest.items() if level <= NEED_THRESHOLD]
    return [area for area in [*needs, *unassessed_core_areas(latest)] if area not in carried]


def is_ending_soon(
    status: str,
    period_end: datetime.date | None,
    today: datetime.date,
    days: int = ENDING_SOON_DAYS,
) -> bool:
    return (
        status in CARRYING
        and period_end is not None
        and today <= period_end <= today + datetime.timedelta(days=days)
    )


@dataclass(frozen=True)
class DecisionFact:
    pk: int
    type_id: int
    status: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    no_follow_on_needed: bool = False


FOLLOW_ON_STATUSES = frozenset({"planned", "applied", "awaiting_manager", "granted", "active"})


def decisions_without_follow_on(
    decisions: Iterable[DecisionFact], today: datetime.date, days: int = ENDING_SOON_DAYS
) -> list[int]:
    """Decisions that ended, or end within `days`, with no later decision of the same type.

    A later decision is one of the same type, not refused, starting after this one started
    (or not yet dated). The worker may mark that no follow-on is needed.
    """
    decisions = list(decisions)
    flagged = []
    horizon = today + datetime.timedelta(days=days)
    for d in decisions:
        if d.no_follow_on_needed or d.period_end is None or d.period_end > horizon:
            continue
        if d.status not in {*CARRYING, "ended"}:
            continue
        follow_on = any(
            o.pk != d.pk
            and o.type_id == d.type_id
            and o.status in FOLLOW_ON_STATUSES
            and (
                o.period_start is None or d.period_start is None or o.period_start > d.period_start
            )
            for o in decisions
        )
        if not follow_on:
            flagged.append(d.pk)
    return flagged


def may_undo_done(
    done_at: datetime.datetime | None,
    done_by_id: int | None,
    user_id: int,
    now: datetime.datetime,
) -> bool:
    """Whether the user who marked a task done may still take it back ("Ångra")."""
    return (
        done_at is not None
        and done_by_id == user_id
        and now - done_at <= datetime.timedelta(hours=TASK_UNDO_HOURS)
    )
