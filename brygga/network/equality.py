"""Equal access across districts (likställighet): the figures of the city view.

`district_facts` reads raw counts per district in a fixed number of queries; `city_view` turns
them into published figures, a pure function: every count through brygga.stats.disclosure
(under 5 shown as "<5", secondary suppression so no hidden count can be recomputed from the
totals), every median only over at least 5 persons, then the city median and the districts
that differ most from it.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from brygga.cases.models import Case, Phase
from brygga.housing.models import Flat, WaitingEntry
from brygga.organisation.models import Administration
from brygga.partners.models import Referral
from brygga.people.models import Gender
from brygga.stats import disclosure
from brygga.stats.disclosure import Cell
from brygga.support import queries as support_queries
from brygga.support.models import FollowUp, Intervention, InterventionStatus
from brygga.support.rules import months_between

# A follow-up held within this many days of its planned date is on time.
FOLLOW_UP_GRACE_DAYS = 14
AGE_BANDS = {"18-24": (18, 24), "25-34": (25, 34), "35-": (35, 150)}
HIGHLIGHTED_PER_COLUMN = 2
DECIDED = (InterventionStatus.GRANTED, InterventionStatus.ACTIVE, InterventionStatus.ENDED)


@dataclass(frozen=True)
class CaseFilter:
    gender: str = ""
    age_band: str = ""

    def apply(self, cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
        if self.gender in Gender.values:
            cases = cases.filter(person__gender=self.gender)
        if self.age_band in AGE_BANDS:
            low, high = AGE_BANDS[self.age_band]
            cases = cases.filter(
                person__birth_year__gte=today.year - high,
                person__birth_year__lte=today.year - low,
            )
        return cases


@dataclass(frozen=True)
class Decision:
    type_name: str
    months: int
    is_housing: bool
    is_short: bool


@dataclass
class DistrictFacts:
    """Raw counts of one district; never shown as they are."""

    name: str
    open_cases: int = 0
    gap_cases: int = 0
    flats: int = 0
    waiting_days: list[int] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    follow_ups_due: int = 0
    follow_ups_on_time: int = 0
    # Open cases referred to a civil-society organisation at least once (brygga.partners).
    referred_cases: int = 0


@dataclass
class FollowUpsDue:
    """A district's follow-ups due (planned at least FOLLOW_UP_GRACE_DAYS ago, open cases) and
    how many of them were held on time."""

    due: int = 0
    on_time: int = 0


DISTRICT = "owning_unit__administration_id"


def district_facts(
    cases: QuerySet[Case], case_filter: CaseFilter, today: datetime.date
) -> list[DistrictFacts]:
    """Eight queries whatever the number of districts or cases: the cases with gaps and the
    follow-ups due counted here, the rest by `facts_from_counts`."""
    cases = case_filter.apply(cases, today)
    open_cases = cases.exclude(phase=Phase.CLOSED)
    gaps = open_cases.filter(support_queries.cases_with_gaps(open_cases, today))
    gap_cases = {
        row[DISTRICT]: row["n"] for row in gaps.values(DISTRICT).annotate(n=Count("pk")).order_by()
    }
    due = FollowUp.objects.filter(
        case__in=open_cases.values("pk"),
        planned_on__lte=today - datetime.timedelta(days=FOLLOW_UP_GRACE_DAYS),
    ).values_list("case__" + DISTRICT, "planned_on", "held_on")
    grace = datetime.timedelta(days=FOLLOW_UP_GRACE_DAYS)
    follow_ups: dict[int, FollowUpsDue] = defaultdict(FollowUpsDue)
    for district_id, planned_on, held_on in due:
        follow_ups[district_id].due += 1
        if held_on is not None and held_on <= planned_on + grace:
            follow_ups[district_id].on_time += 1
    return facts_from_counts(cases, today, gap_cases, follow_ups)


def facts_from_counts(
    cases: QuerySet[Case],
    today: datetime.date,
    gap_cases: Mapping[int, int],
    follow_ups: Mapping[int, FollowUpsDue],
) -> list[DistrictFacts]:
    """The districts' facts for `cases`, given per district (administration id) the open cases
    with a responsibility gap and the follow-ups due. Those two are counted by the caller: the
    city view from the shared support queries, the board report from its own grouped queries
    (brygga.stats.grouped), the rest here the same for both. Six queries."""
    districts = list(
        Administration.objects.filter(kind=Administration.Kind.DISTRICT).order_by("name")
    )
    facts = {d.pk: DistrictFacts(name=d.name) for d in districts}
    open_cases = cases.exclude(phase=Phase.CLOSED)
    for row in open_cases.values(DISTRICT).annotate(n=Count("pk")).order_by():
        facts[row[DISTRICT]].open_cases = row["n"]
    for district_id, n in gap_cases.items():
        if district_id in facts:
            facts[district_id].gap_cases = n
    for district_id, held in follow_ups.items():
        if district_id in facts:
            facts[district_id].follow_ups_due = held.due
            facts[district_id].follow_ups_on_time = held.on_time
    key = "case__" + DISTRICT
    flats = Flat.objects.filter(removed_on__isnull=True, available_from__lte=today)
    for row in flats.values("district_id").annotate(n=Count("pk")).order_by():
        if row["district_id"] in facts:
            facts[row["district_id"]].flats = row["n"]
    waits = WaitingEntry.objects.filter(left_on__isnull=True, case__in=open_cases.values("pk"))
    for district_id, since in waits.values_list("district_id", "since"):
        if district_id in facts:
            facts[district_id].waiting_days.append(max((today - since).days, 0))
    decisions = Intervention.objects.filter(
        case__in=cases.values("pk"),
        type__is_decision=True,
        status__in=DECIDED,
        period_start__isnull=False,
        period_end__isnull=False,
    ).values_list(
        key, "type__name", "area", "type__minimum_period_months", "period_start", "period_end"
    )
    for district_id, name, area, minimum, start, end in decisions:
        months = months_between(start, end)
        facts[district_id].decisions.append(
            Decision(name, months, area == "housing", months < minimum)
        )
    referred = Referral.objects.filter(case__in=open_cases.values("pk"))
    for row in referred.values(key).annotate(n=Count("case_id", distinct=True)).order_by():
        facts[row[key]].referred_cases = row["n"]
    return [facts[d.pk] for d in districts]


@dataclass
class Figure:
    """One published figure: a number, or the reason it is withheld ("<5", "x", "–")."""

    value: float | None
    display: str
    highlighted: bool = False


def _share(numerator: Cell, denominator: Cell) -> Figure:
    if denominator.published and denominator.value == 0:
        return Figure(None, "–")
    value = disclosure.share(numerator, denominator)
    if value is not None:
        return Figure(value, f"{round(value * 100)} %")
    hidden = denominator if not denominator.published else numerator
    return Figure(None, hidden.display)


def _median(values: Sequence[float]) -> Figure:
    if not values:
        return Figure(None, "–")
    if not disclosure.publishable(len(values)):
        return Figure(None, disclosure.SMALL)
    value = float(statistics.median(values))
    return Figure(value, f"{value:g}")


@dataclass
class DistrictRow:
    name: str
    open_cases: Cell
    flats: int
    figures: dict[str, Figure]
    periods: dict[str, Figure]


@dataclass
class CityView:
    rows: list[DistrictRow]
    medians: dict[str, Figure]
    period_types: list[str]
    period_medians: dict[str, Figure]
    # The protected tables behind the figures (for tests and the method note).
    tables: dict[str, disclosure.ProtectedTable] = field(default_factory=dict)


COLUMNS = (
    "flats_per_1000",
    "waiting",
    "median_wait",
    "short_share",
    "gap_share",
    "on_time_share",
    "referred_share",
)


def city_view(facts: Sequence[DistrictFacts]) -> CityView:
    names = [f.name for f in facts]
    pub = disclosure.Publication()
    cases = pub.add(
        "open_cases",
        rows=("district", names),
        columns=("gap", ["gap", "no_gap"]),
        counts=[[f.gap_cases, f.open_cases - f.gap_cases] for f in facts],
    )
    housing = [[d for d in f.decisions if d.is_housing] for f in facts]
    decisions = pub.add(
        "housing_decisions",
        rows=("district", names),
        columns=("period", ["short", "long_enough"]),
        counts=[[sum(d.is_short for d in h), sum(not d.is_short for d in h)] for h in housing],
    )
    follow_ups = pub.add(
        "follow_ups",
        rows=("district", names),
        columns=("held", ["on_time", "late"]),
        counts=[[f.follow_ups_on_time, f.follow_ups_due - f.follow_ups_on_time] for f in facts],
    )
    # The same open cases by another attribute: the tables share their district totals, so
    # the audit sees both at once and a hidden count stays hidden across them.
    referred = pub.add(
        "open_cases",
        rows=("district", names),
        columns=("referred", ["referred", "not_referred"]),
        counts=[[f.referred_cases, f.open_cases - f.referred_cases] for f in facts],
    )
    waiting = pub.add(
        "waiting",
        rows=("district", names),
        columns=("queue", ["waiting"]),
        counts=[[len(f.waiting_days)] for f in facts],
    )
    pub.protect()
    c, d, u, w, p = (t.result for t in (cases, decisions, follow_ups, waiting, referred))
    assert c is not None and d is not None and u is not None and w is not None and p is not None
    types = sorted({x.type_name for f in facts for x in f.decisions})
    rows = []
    for i, f in enumerate(facts):
        open_cell = c.row_totals[i]
        per_1000 = (
            Figure(f.flats * 1000 / f.open_cases, f"{f.flats * 1000 / f.open_cases:.1f}")
            if open_cell.published and f.open_cases
            else Figure(None, open_cell.display if not open_cell.published else "–")
        )
        by_type: dict[str, list[int]] = defaultdict(list)
        for x in f.decisions:
            by_type[x.type_name].append(x.months)
        rows.append(
            DistrictRow(
                name=f.name,
                open_cases=open_cell,
                flats=f.flats,
                figures={
                    "flats_per_1000": per_1000,
                    "waiting": Figure(w.cells[i][0].value, w.cells[i][0].display),
                    "median_wait": _median(f.waiting_days),
                    "short_share": _share(d.cells[i][0], d.row_totals[i]),
                    "gap_share": _share(c.cells[i][0], open_cell),
                    "on_time_share": _share(u.cells[i][0], u.row_totals[i]),
                    "referred_share": _share(p.cells[i][0], p.row_totals[i]),
                },
                periods={t: _median(by_type.get(t, [])) for t in types},
            )
        )
    medians = {key: _highlight([r.figures[key] for r in rows], key) for key in COLUMNS}
    period_medians = {t: _highlight([r.periods[t] for r in rows], "months") for t in types}
    tables = {
        "open_cases": c,
        "housing_decisions": d,
        "follow_ups": u,
        "waiting": w,
        "referred": p,
    }
    return CityView(rows, medians, types, period_medians, tables)


def _format(value: float, kind: str) -> str:
    if kind.endswith("_share"):
        return f"{round(value * 100)} %"
    if kind == "flats_per_1000":
        return f"{value:.1f}"
    return f"{value:g}"


def _highlight(column: list[Figure], kind: str) -> Figure:
    """The city median of a column; marks the districts farthest from it."""
    values = [f.value for f in column if f.value is not None]
    if not values:
        return Figure(None, "–")
    median = float(statistics.median(values))
    if len(values) >= 2 * HIGHLIGHTED_PER_COLUMN:
        ranked = sorted(
            (f for f in column if f.value is not None),
            key=lambda f: abs((f.value or 0) - median),
            reverse=True,
        )
        for figure in ranked[:HIGHLIGHTED_PER_COLUMN]:
            if figure.value != median:
                figure.highlighted = True
    return Figure(median, _format(median, kind))
