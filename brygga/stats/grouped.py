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
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)

from brygga.cases.models import Case, Phase
from brygga.network import equality
from brygga.organisation.models import Administration, Unit
from brygga.stats.periods import Period
from brygga.support import rules
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import (
    CARRYING_STATUSES,
    Assessment,
    FollowUp,
    Intervention,
    Task,
)

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


def scope_condition(cases: QuerySet[Case], alias: str) -> tuple[str, list[Any]]:
    """`AND alias.id IN (…)` for a filtered QuerySet, nothing for all cases (the whole city:
    no second pass over every case only to keep them all)."""
    if not cases.query.where:
        return "", []
    sql, params = cases.values("pk").query.sql_with_params()
    return f" AND {alias}.id IN ({sql})", list(params)


def gap_groups(cases: QuerySet[Case], today: datetime.date) -> list[GapGroup]:
    """The open cases in scope that have a responsibility gap today, grouped (one query).

    A gap (support.rules.responsibility_gaps): the latest assessment of an area at level 1–3,
    or a core area never assessed, that nobody carries (no granted or active decision still
    running in the area, no open task in it with an owner). The latest assessment is the
    newest by date, then by round. Its age runs from the assessment, or from the opening."""
    scope_sql, scope_params = scope_condition(cases, "c")
    pivot = ", ".join(
        f"MAX(CASE WHEN g.area = %s THEN g.age END) AS a{i}" for i in range(len(AREAS))
    )
    pivot_cols = ", ".join(f"p.a{i}" for i in range(len(AREAS)))
    core = " UNION ALL ".join(["SELECT %s AS area"] * len(CORE_AREAS))
    sql = f"""
        WITH latest AS (
            SELECT t.case_id, t.area, t.worker_level, t.assessed_on FROM (
                SELECT a.case_id, a.area, a.worker_level, a.assessed_on,
                       ROW_NUMBER() OVER (
                           PARTITION BY a.case_id, a.area
                           ORDER BY a.assessed_on DESC, a.round_id DESC
                       ) AS newest
                FROM {_q(Assessment)} a JOIN {_q(Case)} c ON c.id = a.case_id
                WHERE c.phase <> %s{scope_sql}
            ) t WHERE t.newest = 1
        ),
        needs AS (
            SELECT l.case_id, l.area, l.assessed_on AS since FROM latest l
            WHERE l.worker_level <= %s
            UNION ALL
            SELECT c.id, k.area, c.opened_on FROM {_q(Case)} c CROSS JOIN ({core}) k
            WHERE c.phase <> %s{scope_sql}
              AND NOT EXISTS (SELECT 1 FROM latest l WHERE l.case_id = c.id AND l.area = k.area)
        ),
        gaps AS (
            SELECT n.case_id, n.area,
                   CASE WHEN n.since > %s THEN 0 WHEN n.since > %s THEN 1 ELSE 2 END AS age
            FROM needs n
            WHERE NOT EXISTS (
                SELECT 1 FROM {_q(Intervention)} i
                WHERE i.case_id = n.case_id AND i.area = n.area
                  AND i.status IN ({", ".join(["%s"] * len(CARRYING_STATUSES))})
                  AND (i.period_end IS NULL OR i.period_end >= %s)
            ) AND NOT EXISTS (
                SELECT 1 FROM {_q(Task)} k
                WHERE k.case_id = n.case_id AND k.area = n.area
                  AND k.done_at IS NULL AND k.actor_kind <> ''
            )
        ),
        per_case AS (SELECT g.case_id, {pivot} FROM gaps g GROUP BY g.case_id)
        SELECT u.administration_id, {pivot_cols}, COUNT(*)
        FROM per_case p
        JOIN {_q(Case)} c ON c.id = p.case_id
        JOIN {_q(Unit)} u ON u.id = c.owning_unit_id
        GROUP BY u.administration_id, {pivot_cols}
    """  # noqa: S608 - table names from the models, every value a parameter
    params: list[Any] = [Phase.CLOSED, *scope_params, rules.NEED_THRESHOLD]
    params += [a.value for a in CORE_AREAS]
    params += [Phase.CLOSED, *scope_params]
    params += [today - datetime.timedelta(days=d + 1) for d in GAP_AGE_DAYS]
    params += [*CARRYING_STATUSES, today]
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


class DaysBetween(Func):
    """Whole days from `start` to `end` (dates) as an integer: grouped and hashed as a number
    (a date difference as an interval makes PostgreSQL sort hundreds of thousands of rows)."""

    output_field = IntegerField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(compiler, connection, "CAST(julianday(%s) - julianday(%s) AS INTEGER)")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(compiler, connection, "(%s - %s)")

    def _between(self, compiler: Any, connection: Any, template: str) -> Any:
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return template % (end, start), [*end_params, *start_params]


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
    at least two weeks ago, open district cases); one query, grouped by place and delay."""
    cut = period.cut_off(today)
    place = "case__owning_unit__name" if by_unit else "case__owning_unit__administration__name"
    in_period = Q(planned_on__gte=period.start, planned_on__lte=cut)
    due = Q(
        planned_on__lte=today - datetime.timedelta(days=equality.FOLLOW_UP_GRACE_DAYS),
        case__owning_unit__administration__kind=Administration.Kind.DISTRICT,
    ) & ~Q(case__phase=Phase.CLOSED)
    rows = FollowUp.objects.all()
    if cases.query.where:
        # The comparison is the city's; only the whole city has it (with_due).
        assert not with_due, "the equal-access follow-ups are counted over the whole city"
        rows = rows.filter(case__in=cases.values("pk"))
    wanted = (in_period | due) if with_due else in_period
    grouped_rows = (
        rows.filter(wanted)
        .annotate(
            span=DaysBetween("held_on", "planned_on"),
            in_period=ExpressionWrapper(in_period, output_field=BooleanField()),
            due=ExpressionWrapper(due, output_field=BooleanField())
            if with_due
            else Value(False, output_field=BooleanField()),
        )
        .values("case__owning_unit__administration_id", place, "span", "in_period", "due")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        FollowUpGroup(
            administration_id=row["case__owning_unit__administration_id"],
            place=row[place],
            days=row["span"],
            in_period=bool(row["in_period"]),
            due=bool(row["due"]),
            count=row["n"],
        )
        for row in grouped_rows
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
    kind; no signal is built in Python only to be counted (seconds over a city). One pass over
    the follow-ups gives each case's latest held one with contact (no contact) and whether one
    was missed; the latest note comes from a grouped join, the municipality's threshold from a
    join. Registered sources (other apps' rules) are called as
    they are: their signals are few.
    """
    from brygga.cases.models import OutcomeEvent, RiskAssessment
    from brygga.journal.models import JournalNote
    from brygga.support import signal_rules as r
    from brygga.support.models import EarlyWarningSettings
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
    last = (
        f"{greatest}(s.opened_on, COALESCE(n.last_on, s.opened_on), "
        "COALESCE(h.last_on, s.opened_on))"
    )
    sql = f"""
        WITH scope AS (
            SELECT c.id, c.opened_on, c.owning_unit_id FROM {_q(Case)} c
            WHERE c.phase <> %s{scope_sql}
        ),
        notes AS (
            SELECT j.case_id, MAX(j.written_on) AS last_on
            FROM {_q(JournalNote)} j JOIN scope s ON s.id = j.case_id
            WHERE j.signed_at IS NOT NULL GROUP BY j.case_id
        ),
        follow_ups AS (
            SELECT f.case_id,
                   MAX(CASE WHEN f.held_on IS NOT NULL
                            AND (f.contact_made IS NULL OR f.contact_made = %s)
                       THEN f.held_on END) AS last_on,
                   MAX(CASE WHEN f.held_on IS NULL AND f.planned_on < %s THEN 1 ELSE 0 END)
                       AS missed
            FROM {_q(FollowUp)} f JOIN scope s ON s.id = f.case_id
            GROUP BY f.case_id
        ),
        found AS (
            SELECT %s AS kind, s.id AS case_id FROM scope s
            JOIN {_q(Unit)} u ON u.id = s.owning_unit_id
            JOIN {_q(Administration)} a ON a.id = u.administration_id
            LEFT JOIN {_q(EarlyWarningSettings)} w ON w.municipality_id = a.municipality_id
            LEFT JOIN notes n ON n.case_id = s.id
            LEFT JOIN follow_ups h ON h.case_id = s.id
            WHERE {days_since(last)} >= COALESCE(w.no_contact_days, %s)
            UNION ALL
            SELECT %s, i.case_id FROM {_q(Intervention)} i JOIN scope s ON s.id = i.case_id
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
            SELECT %s, h.case_id FROM follow_ups h WHERE h.missed = 1
            UNION ALL
            SELECT %s, k.case_id FROM {_q(RiskAssessment)} k JOIN scope s ON s.id = k.case_id
            WHERE k.next_review_on < %s AND NOT EXISTS (
                SELECT 1 FROM {_q(RiskAssessment)} x
                WHERE x.case_id = k.case_id AND (
                    x.assessed_on > k.assessed_on
                    OR (x.assessed_on = k.assessed_on AND x.id > k.id)
                )
            )
            UNION ALL
            SELECT %s, t.case_id FROM (
                SELECT a.case_id, a.worker_level,
                       ROW_NUMBER() OVER (
                           PARTITION BY a.case_id, a.area
                           ORDER BY a.assessed_on DESC, a.round_id DESC
                       ) AS newest,
                       LEAD(a.worker_level) OVER (
                           PARTITION BY a.case_id, a.area
                           ORDER BY a.assessed_on DESC, a.round_id DESC
                       ) AS previous_level
                FROM {_q(Assessment)} a JOIN scope s ON s.id = a.case_id
                WHERE a.area IN ({marks(core)})
            ) t WHERE t.newest = 1 AND t.previous_level > t.worker_level
        )
        SELECT kind, COUNT(DISTINCT case_id) FROM found GROUP BY kind
    """  # noqa: S608 - table names from the models, every value a parameter
    params: list[Any] = [r.CLOSED_PHASE, *scope_params, True, today]
    params += [r.Kind.NO_CONTACT, today, r.DEFAULT_NO_CONTACT_DAYS]
    params += [r.Kind.HOUSING_ENDING, NeedArea.HOUSING.value, *carrying, today]
    params += [today + datetime.timedelta(days=r.HOUSING_ENDING_DAYS)]
    params += [NeedArea.HOUSING.value, *follow_on]
    params += [*r.SEVERE_OUTCOME_KINDS, today - datetime.timedelta(days=r.SEVERE_OUTCOME_DAYS)]
    params += [today, r.Kind.FOLLOW_UP_MISSED, r.Kind.RISK_REVIEW_OVERDUE, today]
    params += [r.Kind.NEED_WORSE, *core]
    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, n in cursor.fetchall():
            counts[kind] += n
    scope = cases.exclude(phase=Phase.CLOSED).values("pk")
    for source in registered_sources():
        by_kind: dict[str, set[int]] = defaultdict(set)
        for signal in source(scope, today):
            by_kind[signal.kind].add(signal.case_id)
        for kind, ids in by_kind.items():
            counts[kind] += len(ids)
    return counts
