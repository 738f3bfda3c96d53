"""The board report's own grouped queries where the shared ones are built for lists.

`support.queries` answers "which gaps, on which cases" for the workers' lists: a correlated
NOT EXISTS per assessment for "is it the latest", nine correlated EXISTS per open case for the
core needs never assessed. Counting a whole city that way costs seconds. The board only needs
counts, so here the same rules run as one pass: the latest assessment per case and area by a
window function, the never-assessed core areas by an anti-join against it, the carrying
decisions and owned tasks by anti-joins, then one row per combination of gap ages per case.

Each function here has a twin in the shared code that the tests compare it with
(tests/stats/test_grouped.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from brygga.cases.models import Case, Phase
from brygga.network import equality
from brygga.organisation.models import Administration, Unit
from brygga.stats.periods import Period
from brygga.support import rules
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import CaseAreaState, FollowUp, Intervention

# How long a gap has stood, in days since the assessment that showed the need (or since the
# case opened, for a core need never assessed): bucket i holds the ages up to GAP_AGE_DAYS[i].
GAP_AGE_DAYS = (29, 89)
AREAS = tuple(area.value for area in NeedArea)


@dataclass(frozen=True)
class GapGroup:
    """Open cases with the same gaps: their administration, each area's gap age bucket (None:
    no gap in that area) and how many cases."""

    administration_id: int
    ages: dict[str, int]
    cases: int


def _q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def scope_condition(cases: QuerySet[Case], alias: str, column: str = "id") -> tuple[str, list[Any]]:
    """`AND alias.column IN (…)` (the case's id) for a filtered QuerySet, nothing for all cases
    (the whole city: no second pass over every case only to keep them all)."""
    if not cases.query.where:
        return "", []
    sql, params = cases.values("pk").query.sql_with_params()
    return f" AND {alias}.{column} IN ({sql})", list(params)


def gap_groups(cases: QuerySet[Case], today: datetime.date) -> list[GapGroup]:
    """The open cases in scope that have a responsibility gap today, grouped (one query).

    A gap (support.rules.responsibility_gaps): the latest assessment of an area at level 1–3,
    or a core area never assessed, that nobody carries (no granted or active decision still
    running in the area, no open task in it with an owner). The latest assessment is the
    newest by date, then by round. Its age runs from the assessment, or from the opening.

    Read from the precomputed `support.CaseAreaState` (ADR 0120), which holds exactly those
    facts per case and area: the latest level and its date (none: never assessed; a row for
    every core area), and the last day someone carries the area, so "nobody carries it today"
    is `carried_until` empty or before today. One pass over the open cases' area rows instead
    of ranking every assessment (ADR 0114)."""
    scope_sql, scope_params = scope_condition(cases, "c")
    pivot = ", ".join(
        f"MAX(CASE WHEN g.area = %s THEN g.age END) AS a{i}" for i in range(len(AREAS))
    )
    pivot_cols = ", ".join(f"p.a{i}" for i in range(len(AREAS)))
    core = ", ".join(["%s"] * len(CORE_AREAS))
    sql = f"""
        WITH gaps AS (
            SELECT x.case_id, c.owning_unit_id, x.area,
                   CASE WHEN COALESCE(x.assessed_on, c.opened_on) > %s THEN 0
                        WHEN COALESCE(x.assessed_on, c.opened_on) > %s THEN 1
                        ELSE 2 END AS age
            FROM {_q(CaseAreaState)} x JOIN {_q(Case)} c ON c.id = x.case_id
            WHERE c.phase <> %s{scope_sql}
              AND (x.level <= %s OR (x.assessed_on IS NULL AND x.area IN ({core})))
              AND (x.carried_until IS NULL OR x.carried_until < %s)
        ),
        per_case AS (
            SELECT g.case_id, g.owning_unit_id, {pivot} FROM gaps g
            GROUP BY g.case_id, g.owning_unit_id
        )
        SELECT u.administration_id, {pivot_cols}, COUNT(*)
        FROM per_case p JOIN {_q(Unit)} u ON u.id = p.owning_unit_id
        GROUP BY u.administration_id, {pivot_cols}
    """  # noqa: S608 - table names from the models, every value a parameter
    params: list[Any] = [today - datetime.timedelta(days=d + 1) for d in GAP_AGE_DAYS]
    params += [Phase.CLOSED, *scope_params, rules.NEED_THRESHOLD]
    params += [a.value for a in CORE_AREAS]
    params += [today]
    params += list(AREAS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        GapGroup(
            administration_id=row[0],
            ages={area: age for area, age in zip(AREAS, row[1:-1], strict=True) if age is not None},
            cases=row[-1],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class FollowUpGroup:
    """Follow-ups with the same place, delay and purpose: planned in the report's period (the
    board's table), due for the equal-access comparison (open district cases), or both."""

    administration_id: int
    place: str
    days: int | None  # held this many days after the planned day; None: not held
    in_period: bool
    due: bool
    count: int


def follow_up_groups(
    cases: QuerySet[Case], period: Period, today: datetime.date, by_unit: bool, with_due: bool
) -> list[FollowUpGroup]:
    """One pass over the follow-ups for both the board's table (planned in the period up to
    the cut-off, the cases in scope) and, `with_due`, the equal-access comparison's (planned
    at least two weeks ago, open district cases); one query, grouped by place and delay.

    The follow-ups are counted per owning unit, delay and purpose first, joined only with
    their case; the unit and its administration (name, district or not) are joined to those
    few groups, not to every follow-up (ADR 0114)."""
    cut = period.cut_off(today)
    if cases.query.where:
        # The comparison is the city's; only the whole city has it (with_due).
        assert not with_due, "the equal-access follow-ups are counted over the whole city"
    scope_sql, scope_params = scope_condition(cases, "f", "case_id")
    if connection.vendor == "postgresql":
        span = "(f.held_on - f.planned_on)"
    else:
        span = "CAST(julianday(f.held_on) - julianday(f.planned_on) AS INTEGER)"
    in_period = "(f.planned_on >= %s AND f.planned_on <= %s)"
    due_here = "(f.planned_on <= %s AND c.phase <> %s)"
    due_params = [today - datetime.timedelta(days=equality.FOLLOW_UP_GRACE_DAYS), Phase.CLOSED]
    wanted = f"({in_period} OR {due_here})" if with_due else in_period
    place = "u.name" if by_unit else "a.name"
    sql = f"""
        SELECT u.administration_id, {place}, g.span, g.in_period,
               CASE WHEN g.due_here = 1 AND a.kind = %s THEN 1 ELSE 0 END, SUM(g.n)
        FROM (
            SELECT c.owning_unit_id AS unit_id, {span} AS span,
                   CASE WHEN {in_period} THEN 1 ELSE 0 END AS in_period,
                   CASE WHEN {due_here} THEN 1 ELSE 0 END AS due_here,
                   COUNT(*) AS n
            FROM {_q(FollowUp)} f JOIN {_q(Case)} c ON c.id = f.case_id
            WHERE {wanted}{scope_sql}
            GROUP BY 1, 2, 3, 4
        ) g
        JOIN {_q(Unit)} u ON u.id = g.unit_id
        JOIN {_q(Administration)} a ON a.id = u.administration_id
        WHERE g.in_period = 1 OR (g.due_here = 1 AND a.kind = %s)
        GROUP BY 1, 2, 3, 4, 5
    """  # noqa: S608 - table names from the models, every value a parameter
    # Without the comparison no follow-up is "due" (a.kind = NULL is never true).
    district = Administration.Kind.DISTRICT if with_due else None
    params: list[Any] = [district, period.start, cut, *due_params, period.start, cut]
    params += [*due_params] if with_due else []
    params += [*scope_params, district]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        FollowUpGroup(
            administration_id=administration_id,
            place=name,
            days=None if days is None else int(days),
            in_period=bool(in_period_),
            due=bool(due),
            count=int(n),
        )
        for administration_id, name, days, in_period_, due, n in rows
    ]


def district_facts(
    today: datetime.date, groups: list[GapGroup], follow_ups: list[FollowUpGroup]
) -> list[equality.DistrictFacts]:
    """`equality.district_facts` for the whole city and no filter, the same numbers from
    grouped queries: the gap cases from `gap_groups` over every case (the report's own), the
    follow-ups due from `follow_up_groups` (counts per district and delay, not a row each);
    the rest by the city view's own `equality.facts_from_counts`."""
    gap_cases: Counter[int] = Counter()
    for group in groups:
        gap_cases[group.administration_id] += group.cases
    due: dict[int, equality.FollowUpsDue] = defaultdict(equality.FollowUpsDue)
    for held in follow_ups:
        if not held.due:
            continue
        due[held.administration_id].due += held.count
        if held.days is not None and held.days <= equality.FOLLOW_UP_GRACE_DAYS:
            due[held.administration_id].on_time += held.count
    cases = Case.objects.filter(owning_unit__administration__kind=Administration.Kind.DISTRICT)
    return equality.facts_from_counts(cases, today, gap_cases, due)


def gap_counts_by_area(groups: list[GapGroup]) -> dict[tuple[str, int], int]:
    """Gaps per (area, age bucket) over the groups."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for group in groups:
        for area, age in group.ages.items():
            counts[(area, age)] += group.cases
    return dict(counts)


def signal_counts(cases: QuerySet[Case], today: datetime.date) -> Counter[str]:
    """How many open cases in scope have each kind of early-warning signal today.

    The built-in rules of `support.signals` (the SQL twins of support.signal_rules), counted in
    one query: each rule gives (kind, case) pairs, the database counts the distinct cases per
    kind; no signal is built in Python only to be counted (seconds over a city). As in
    `support.signals`, no contact, a missed follow-up, an overdue risk review and a need
    assessed worse read the precomputed case state (ADR 0120): the latest contact, the next
    follow-up not held, the latest risk assessment's review day, each area's latest and
    previous level. The municipality's threshold comes from a join. Registered sources (other
    apps' rules) are called as they are: their signals are few.
    """
    from brygga.cases.models import OutcomeEvent
    from brygga.support import signal_rules as r
    from brygga.support.models import CaseState, EarlyWarningSettings
    from brygga.support.signals import registered_sources

    scope_sql, scope_params = scope_condition(cases, "c")
    postgres = connection.vendor == "postgresql"

    def days_since(day: str) -> str:
        if postgres:
            return f"(%s - {day})"
        return f"CAST(julianday(%s) - julianday({day}) AS INTEGER)"

    greatest = "GREATEST" if postgres else "MAX"
    marks = lambda values: ", ".join(["%s"] * len(values))  # noqa: E731
    carrying, follow_on = sorted(r.CARRYING), sorted(r.FOLLOW_ON_STATUSES)
    core = [a.value for a in CORE_AREAS]
    last = f"{greatest}(s.opened_on, COALESCE(t.last_contact_on, s.opened_on))"
    sql = f"""
        WITH scope AS (
            SELECT c.id, c.opened_on, c.owning_unit_id FROM {_q(Case)} c
            WHERE c.phase <> %s{scope_sql}
        ),
        found AS (
            SELECT %s AS kind, i.case_id FROM {_q(Intervention)} i
            JOIN scope s ON s.id = i.case_id
            WHERE i.area = %s AND i.status IN ({marks(carrying)})
              AND i.period_end >= %s AND i.period_end <= %s
              AND NOT EXISTS (
                  SELECT 1 FROM {_q(Intervention)} l
                  WHERE l.case_id = i.case_id AND l.area = %s
                    AND l.status IN ({marks(follow_on)}) AND l.id <> i.id
                    AND (l.period_start IS NULL OR l.period_start > i.period_start)
              )
            UNION ALL
            SELECT o.kind, o.case_id FROM {_q(OutcomeEvent)} o JOIN scope s ON s.id = o.case_id
            WHERE o.kind IN ({marks(r.SEVERE_OUTCOME_KINDS)})
              AND o.occurred_on >= %s AND o.occurred_on <= %s
            UNION ALL
            SELECT %s, x.case_id FROM {_q(CaseAreaState)} x JOIN scope s ON s.id = x.case_id
            WHERE x.area IN ({marks(core)}) AND x.previous_level > x.level
        )
        SELECT kind, COUNT(DISTINCT case_id) FROM found GROUP BY kind
        UNION ALL
        SELECT %s, COUNT(*) FROM scope s
        JOIN {_q(Unit)} u ON u.id = s.owning_unit_id
        JOIN {_q(Administration)} a ON a.id = u.administration_id
        LEFT JOIN {_q(EarlyWarningSettings)} w ON w.municipality_id = a.municipality_id
        LEFT JOIN {_q(CaseState)} t ON t.case_id = s.id
        WHERE {days_since(last)} >= COALESCE(w.no_contact_days, %s)
        UNION ALL
        SELECT %s, COUNT(*) FROM {_q(CaseState)} t JOIN scope s ON s.id = t.case_id
        WHERE t.next_follow_up_on < %s
        UNION ALL
        SELECT %s, COUNT(*) FROM {_q(CaseState)} t JOIN scope s ON s.id = t.case_id
        WHERE t.risk_review_on < %s
    """  # noqa: S608 - table names from the models, every value a parameter
    params: list[Any] = [r.CLOSED_PHASE, *scope_params]
    params += [r.Kind.HOUSING_ENDING, NeedArea.HOUSING.value, *carrying, today]
    params += [today + datetime.timedelta(days=r.HOUSING_ENDING_DAYS)]
    params += [NeedArea.HOUSING.value, *follow_on]
    params += [*r.SEVERE_OUTCOME_KINDS, today - datetime.timedelta(days=r.SEVERE_OUTCOME_DAYS)]
    params += [today, r.Kind.NEED_WORSE, *core]
    # One state row per case and one threshold per municipality: each case counted once.
    params += [r.Kind.NO_CONTACT, today, r.DEFAULT_NO_CONTACT_DAYS]
    params += [r.Kind.FOLLOW_UP_MISSED, today, r.Kind.RISK_REVIEW_OVERDUE, today]
    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, n in cursor.fetchall():
            if n:
                counts[kind] += n
    scope = cases.exclude(phase=Phase.CLOSED).values("pk")
    for source in registered_sources():
        by_kind: dict[str, set[int]] = defaultdict(set)
        for signal in source(scope, today):
            by_kind[signal.kind].add(signal.case_id)
        for kind, ids in by_kind.items():
            counts[kind] += len(ids)
    return counts
