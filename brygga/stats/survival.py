"""Time to relapse, to an own lease and to occupation, as Kaplan–Meier curves (lifelines).

The clock starts on the day a person first left protected housing. The event is the first
outcome of the wanted kind on or after that day. Everyone else is *censored*: followed until
the report's cut-off date, or until the case was closed, contact was lost or the person moved
to another municipality, whichever came first (their time counts, their outcome is unknown).

The database returns one row per (days, event, gender, district) with a count: lifelines takes
counts as weights, so no row about a person ever leaves the database.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from brygga.cases.models import Case, OutcomeEvent, OutcomeKind, ProtectedHousingStay
from brygga.cases.rules import RELAPSE_KINDS
from brygga.organisation.models import Administration, Unit
from brygga.people.models import Person
from brygga.stats import grouped

DAYS_PER_MONTH = 365.25 / 12
MIN_AT_START = 10  # a curve with fewer persons at risk at its start is not drawn
MIN_AT_RISK = 5  # a curve stops where fewer than this remain at risk
HORIZONS = (6, 12, 24)

ENDPOINTS: dict[str, tuple[str, ...]] = {
    "relapse": tuple(RELAPSE_KINDS),
    "own_lease": (OutcomeKind.OWN_TENANCY,),
    "occupation": (OutcomeKind.STARTED_WORK, OutcomeKind.STARTED_STUDIES),
}
CENSORING_KINDS = (OutcomeKind.LOST_CONTACT, OutcomeKind.MOVED_AWAY)


@dataclass(frozen=True)
class Observation:
    """A group of persons with the same follow-up time and outcome."""

    days: int
    event: bool
    count: int
    gender: str = ""
    district: str = ""


@dataclass(frozen=True)
class Point:
    months: float
    survival: float
    lower: float
    upper: float
    at_risk: int


@dataclass(frozen=True)
class Horizon:
    months: int
    share: float | None  # share who had the event by then (1 − S), None past the drawn curve
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Curve:
    label: str
    at_start: int
    events: int
    points: tuple[Point, ...]
    horizons: tuple[Horizon, ...]


@dataclass(frozen=True)
class Comparison:
    """A log-rank test between the drawn groups, with its p-value in plain words."""

    p_value: float
    groups: int

    @property
    def in_words(self) -> str:
        p = _p_text(self.p_value)
        if self.p_value < 0.05:
            return _(
                "Skillnaden mellan grupperna är statistiskt säkerställd (log-rank-test, p = "
                "%(p)s): det är mindre än 5 procents risk att en så stor skillnad uppstått av "
                "en slump."
            ) % {"p": p}
        return _(
            "Skillnaden mellan grupperna kan vara en slump (log-rank-test, p = %(p)s): den är "
            "inte statistiskt säkerställd."
        ) % {"p": p}


def _p_text(p: float) -> str:
    return "< 0,001" if p < 0.001 else f"{p:.3f}".replace(".", ",")


def kaplan_meier(observations: Iterable[Observation], label: str) -> Curve | None:
    """The curve for these observations, or None when fewer than MIN_AT_START are at risk."""
    rows = [o for o in observations if o.count > 0]
    at_start = sum(o.count for o in rows)
    if at_start < MIN_AT_START:
        return None
    durations = np.array([max(o.days, 0) / DAYS_PER_MONTH for o in rows])
    events = np.array([1 if o.event else 0 for o in rows])
    weights = np.array([o.count for o in rows], dtype=float)
    fitter = KaplanMeierFitter(alpha=0.05)
    fitter.fit(durations, event_observed=events, weights=weights, label=label)
    table = fitter.event_table
    survival = fitter.survival_function_[label]
    ci = fitter.confidence_interval_survival_function_
    # Plain arrays: indexing pandas row by row costs seconds over hundreds of distinct days.
    times = survival.index.to_numpy(dtype=float)
    values = survival.to_numpy(dtype=float)
    lows = np.nan_to_num(ci.iloc[:, 0].to_numpy(dtype=float), nan=0.0)
    highs = np.nan_to_num(ci.iloc[:, 1].to_numpy(dtype=float), nan=1.0)
    at_risk = table["at_risk"].reindex(survival.index, fill_value=0).to_numpy(dtype=float)
    points = []
    for t, value, low, high, risk in zip(times, values, lows, highs, at_risk, strict=True):
        if t > 0 and risk < MIN_AT_RISK:
            break
        points.append(Point(float(t), float(value), float(low), float(high), int(round(risk))))
    horizons = []
    for months in HORIZONS:
        still_followed = float(weights[durations >= months].sum())
        if still_followed < MIN_AT_RISK:  # too few followed that long to say
            horizons.append(Horizon(months, None, None, None))
            continue
        s = float(fitter.survival_function_at_times(months).iloc[0])
        low, high = _ci_at(ci, months)
        horizons.append(Horizon(months, 1 - s, 1 - high, 1 - low))
    return Curve(
        label=label,
        at_start=at_start,
        events=int(events @ weights),
        points=tuple(points),
        horizons=tuple(horizons),
    )


def _finite(value: float, default: float) -> float:
    return default if value is None or math.isnan(value) else float(value)


def _ci_at(ci, months: float) -> tuple[float, float]:
    """The confidence band at a time: the value of the last step at or before it."""
    before = ci[ci.index <= months]
    row = before.iloc[-1]
    return _finite(row.iloc[0], 0.0), _finite(row.iloc[1], 1.0)


def compare(groups: dict[str, list[Observation]]) -> Comparison | None:
    """Log-rank test over the groups that are drawn (at least MIN_AT_START each)."""
    drawn = {k: v for k, v in groups.items() if sum(o.count for o in v) >= MIN_AT_START}
    if len(drawn) < 2:
        return None
    durations, events, labels, weights = [], [], [], []
    for label, rows in drawn.items():
        for o in rows:
            if o.count <= 0:
                continue
            durations.append(max(o.days, 0) / DAYS_PER_MONTH)
            events.append(1 if o.event else 0)
            labels.append(label)
            weights.append(o.count)
    if not any(events):
        return None
    result = multivariate_logrank_test(
        np.array(durations), np.array(labels), np.array(events), weights=np.array(weights)
    )
    return Comparison(p_value=float(result.p_value), groups=len(drawn))


# --- from the database --------------------------------------------------------------------


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def all_observations(cases: QuerySet[Case], cut_off: datetime.date) -> dict[str, list[Observation]]:
    """Grouped follow-up times for every endpoint, for the cases that had left protected
    housing by ``cut_off``. One query, whatever the number of cases.

    Written as SQL with common table expressions: per case the first exit (from the stays
    alone), then the first event of each endpoint and the first censoring event (from the
    outcomes on or after that exit alone), each found once by MIN(); only then the case's
    gender and district are joined, and each endpoint counted per (days, event, gender,
    district id) — the district's name is joined to the few grouped rows, not to every case
    (ADR 0114).
    """
    postgres = connection.vendor == "postgresql"

    def days(end: str, start: str) -> str:
        if postgres:
            return f"({end} - {start})"
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"

    least = "LEAST" if postgres else "MIN"
    scope_sql, scope_params = grouped.scope_condition(cases, "s", "case_id")
    params: list[Any] = [*scope_params, cut_off]
    firsts = []
    for endpoint, kinds in ENDPOINTS.items():
        marks = ", ".join(["%s"] * len(kinds))
        firsts.append(f"MIN(CASE WHEN o.kind IN ({marks}) THEN o.occurred_on END) AS {endpoint}_on")
        params.extend(kinds)
    marks = ", ".join(["%s"] * len(CENSORING_KINDS))
    params.extend(CENSORING_KINDS)
    params.extend([cut_off] * 3)
    branches = []
    for endpoint in ENDPOINTS:
        hit = f"(e.{endpoint}_on IS NOT NULL AND e.{endpoint}_on <= e.stop_on)"
        end = f"CASE WHEN {hit} THEN e.{endpoint}_on ELSE e.stop_on END"
        branches.append(
            f"SELECT '{endpoint}' AS endpoint, {days(end, 'e.left_on')} AS days, "  # noqa: S608
            f"CASE WHEN {hit} THEN 1 ELSE 0 END AS event, e.gender, e.district_id, "
            f"COUNT(*) AS n FROM events e GROUP BY 2, 3, 4, 5"
        )
    sql = f"""
        WITH exits AS (
            SELECT s.case_id, MIN(s.ended_on) AS left_on
            FROM {_table(ProtectedHousingStay)} s
            WHERE s.ended_on IS NOT NULL{scope_sql}
            GROUP BY s.case_id
            HAVING MIN(s.ended_on) <= %s
        ),
        outcomes AS (
            SELECT x.case_id, {", ".join(firsts)},
                   MIN(CASE WHEN o.kind IN ({marks}) THEN o.occurred_on END) AS censor_on
            FROM exits x
            JOIN {_table(OutcomeEvent)} o ON o.case_id = x.case_id AND o.occurred_on >= x.left_on
            GROUP BY x.case_id
        ),
        events AS (
            SELECT x.left_on, p.gender, u.administration_id AS district_id,
                   {", ".join(f"o.{endpoint}_on" for endpoint in ENDPOINTS)},
                   {least}(COALESCE(o.censor_on, %s), COALESCE(c.closed_on, %s), %s) AS stop_on
            FROM exits x
            JOIN {_table(Case)} c ON c.id = x.case_id
            JOIN {_table(Person)} p ON p.id = c.person_id
            JOIN {_table(Unit)} u ON u.id = c.owning_unit_id
            LEFT JOIN outcomes o ON o.case_id = x.case_id
        )
        SELECT g.endpoint, g.days, g.event, g.gender, a.name, g.n
        FROM ({" UNION ALL ".join(branches)}) g
        JOIN {_table(Administration)} a ON a.id = g.district_id
    """  # noqa: S608 - table names from the models, every value a parameter
    result: dict[str, list[Observation]] = {endpoint: [] for endpoint in ENDPOINTS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for endpoint, n_days, event, gender, district, n in cursor.fetchall():
            result[endpoint].append(
                Observation(
                    days=max(int(n_days), 0),
                    event=bool(event),
                    count=int(n),
                    gender=gender,
                    district=district,
                )
            )
    return result


def observations(cases: QuerySet[Case], endpoint: str, cut_off: datetime.date) -> list[Observation]:
    """Grouped follow-up times for one endpoint (see `all_observations`)."""
    return all_observations(cases, cut_off)[endpoint]


def by(observations: Sequence[Observation], attribute: str) -> dict[str, list[Observation]]:
    grouped: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        grouped[getattr(o, attribute)].append(o)
    return dict(grouped)
