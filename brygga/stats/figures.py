"""The board's figures, each one aggregate query, each table through disclosure control.

Every function takes the cases in scope and the period, runs a fixed number of GROUP BY
queries (never a row per person into Python) and returns raw counts keyed by labels; the
report puts them through `disclosure.Publication` before anything is shown.

Places: for the whole city the rows are districts (förvaltningar); for one district they are
its units. Gender: "annat" and "okänt" are shown together to keep cells from being tiny.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case as When_
from django.db.models import (
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brygga.cases.models import Case, Phase, PhaseChange
from brygga.organisation.models import Administration, Unit
from brygga.people.models import Gender, Person
from brygga.stats import grouped
from brygga.stats.periods import Period
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import Assessment, FollowUp, Intervention, InterventionStatus

DAYS_PER_MONTH = 365.25 / 12
MONTH_SLACK_DAYS = 3
FOLLOW_UP_GRACE_DAYS = 14  # a follow-up held within two weeks of its planned day is on time
AGE_BANDS = (("18–24", 0, 24), ("25–29", 25, 29), ("30–39", 30, 39), ("40–", 40, 200))
# How long a gap has stood (days since the assessment that showed the need).
GAP_AGES = (
    (gettext_noop("under 30 dagar"), grouped.GAP_AGE_DAYS[0]),
    (gettext_noop("30–89 dagar"), grouped.GAP_AGE_DAYS[1]),
)
GAP_AGE_OLDEST = gettext_noop("90 dagar eller mer")
FOLLOW_UP_COLUMNS = (gettext_noop("i tid"), gettext_noop("sent"), gettext_noop("inte genomförd"))
NEED_COLUMNS = (
    gettext_noop("förbättrad"),
    gettext_noop("oförändrad"),
    gettext_noop("försämrad"),
)


def gender_label(value: str) -> str:
    if value == Gender.WOMAN:
        return str(Gender.WOMAN.label)
    if value == Gender.MAN:
        return str(Gender.MAN.label)
    return _("Annat eller okänt")


def gender_labels() -> list[str]:
    return [str(Gender.WOMAN.label), str(Gender.MAN.label), _("Annat eller okänt")]


def age_band(birth_year: int, year: int) -> str:
    age = year - birth_year
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return AGE_BANDS[0][0]


def place_label(name: str) -> str:
    return name.removesuffix(" stadsdelsförvaltning")


@dataclass
class Counts:
    """Raw counts of one measure split several ways: {dimension pair: {(row, col): n}}."""

    rows: dict[str, list[str]] = field(default_factory=dict)  # dimension → labels in order
    cells: dict[tuple[str, str], Counter[tuple[str, str]]] = field(default_factory=dict)

    def add(self, row_dim: str, col_dim: str, row: str, col: str, n: int) -> None:
        self.cells.setdefault((row_dim, col_dim), Counter())[(row, col)] += n

    def matrix(self, row_dim: str, col_dim: str) -> list[list[int]]:
        grid = self.cells.get((row_dim, col_dim), Counter())
        return [[grid[(r, c)] for c in self.rows[col_dim]] for r in self.rows[row_dim]]


def _place_field(by_unit: bool) -> str:
    return "owning_unit__name" if by_unit else "owning_unit__administration__name"


def active_cases(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """Cases open at some time during the period."""
    return cases.filter(opened_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def cases_by_phase(
    cases: QuerySet[Case], period: Period, places: list[str], by_unit: bool, today: datetime.date
) -> Counts:
    """Cases open during the period, by their phase on the cut-off day (one query).

    The phase then is the latest phase change on or before the day (the rules allow no change
    dated before the latest one, so the highest id is the latest), else the current phase.
    Joined through a grouped subquery: a correlated one per case costs seconds at volume. The
    period (`active_cases`) is a condition on the cases themselves, not a second pass over them.
    """
    cut = period.cut_off(today)
    scope_sql, scope_params = grouped.scope_condition(cases, "c")
    place = "u.name" if by_unit else "a.name"
    q = connection.ops.quote_name
    sql = f"""
        SELECT COALESCE(pc.phase, c.phase), p.gender, p.birth_year, {place}, COUNT(*)
        FROM {q(Case._meta.db_table)} c
        JOIN {q(Person._meta.db_table)} p ON p.id = c.person_id
        JOIN {q(Unit._meta.db_table)} u ON u.id = c.owning_unit_id
        JOIN {q(Administration._meta.db_table)} a ON a.id = u.administration_id
        LEFT JOIN (
            SELECT case_id, MAX(id) AS last_id FROM {q(PhaseChange._meta.db_table)}
            WHERE entered_on <= %s GROUP BY case_id
        ) latest ON latest.case_id = c.id
        LEFT JOIN {q(PhaseChange._meta.db_table)} pc ON pc.id = latest.last_id
        WHERE c.opened_on <= %s AND (c.closed_on IS NULL OR c.closed_on >= %s){scope_sql}
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608 - table names from the models, every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [cut, period.end, period.start, *scope_params])
        rows = cursor.fetchall()
    counts = Counts(
        rows={
            "place": places,
            "phase": [str(label) for _, label in Phase.choices],
            "gender": gender_labels(),
            "age": [b[0] for b in AGE_BANDS],
        }
    )
    phase_labels = dict(Phase.choices)
    for phase_value, gender, birth_year, place_name, n in rows:
        phase = str(phase_labels.get(phase_value, phase_value))
        counts.add("place", "phase", place_label(place_name), phase, n)
        counts.add("gender", "phase", gender_label(gender), phase, n)
        counts.add("age", "phase", age_band(birth_year, cut.year), phase, n)
    return counts


def new_cases(cases: QuerySet[Case], period: Period, places: list[str], by_unit: bool) -> Counts:
    """Cases opened in the period, by sub-period (quarter or month), place and gender."""
    rows = (
        cases.filter(opened_on__gte=period.start, opened_on__lte=period.end)
        .annotate(month=TruncMonth("opened_on"))
        .values("month", "person__gender", _place_field(by_unit))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Counts(
        rows={"place": places, "part": [p for p, _ in period.parts()], "gender": gender_labels()}
    )
    for row in rows:
        month = row["month"]
        day = month if isinstance(month, datetime.date) else datetime.date.fromisoformat(month)
        part = period.part_of(day)
        counts.add("place", "part", place_label(row[_place_field(by_unit)]), part, row["n"])
        counts.add("gender", "part", gender_label(row["person__gender"]), part, row["n"])
    return counts


def _interventions_in(cases: QuerySet[Case], period: Period) -> QuerySet[Intervention]:
    started = Coalesce("period_start", "decision_on", output_field=DateField())
    return (
        Intervention.objects.filter(case__in=cases.values("pk"))
        .filter(
            status__in=(
                InterventionStatus.GRANTED,
                InterventionStatus.ACTIVE,
                InterventionStatus.ENDED,
            )
        )
        .annotate(started=started)
        .filter(started__lte=period.end)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=period.start))
    )


def interventions(cases: QuerySet[Case], period: Period) -> Counts:
    """Interventions granted or under way during the period, by area and type, and gender."""
    rows = (
        _interventions_in(cases, period)
        .values("area", "type__name", "case__person__gender")
        .annotate(n=Count("pk"))
        .order_by("area", "type__name")
    )
    area_labels = dict(NeedArea.choices)
    types: list[str] = []
    counts = Counts(rows={"gender": gender_labels()})
    for row in rows:
        label = f"{area_labels.get(row['area'], row['area'])}: {row['type__name']}"
        if label not in types:
            types.append(label)
        counts.add("type", "gender", label, gender_label(row["case__person__gender"]), row["n"])
    counts.rows["type"] = types
    return counts


@dataclass(frozen=True)
class DecisionPeriods:
    area: str
    decisions: int
    median_months: float | None
    under_minimum: int


def decision_periods(cases: QuerySet[Case], period: Period) -> list[DecisionPeriods]:
    """Decisions whose period started in the period, per need area: how long they run.

    Grouped by length in days (one query); the median comes from that histogram. A period is
    under the recommended minimum when it is shorter than the type's minimum in months, a month
    counted as 365.25 / 12 days with three days' slack (calendar months run 28–31 days).
    """
    rows = (
        Intervention.objects.filter(case__in=cases.values("pk"))
        .filter(
            type__is_decision=True,
            period_start__gte=period.start,
            period_start__lte=period.end,
            period_end__isnull=False,
        )
        .exclude(status=InterventionStatus.REFUSED)
        .annotate(
            span=ExpressionWrapper(
                F("period_end") - F("period_start"), output_field=DurationField()
            )
        )
        .values("area", "type__minimum_period_months", "span")
        .annotate(n=Count("pk"))
        .order_by()
    )
    lengths: dict[str, list[tuple[float, int]]] = defaultdict(list)
    short: Counter[str] = Counter()
    for row in rows:
        span = row["span"]
        days = (span.days if isinstance(span, datetime.timedelta) else int(span or 0)) + 1
        months = days / DAYS_PER_MONTH
        lengths[row["area"]].append((months, row["n"]))
        if days < row["type__minimum_period_months"] * DAYS_PER_MONTH - MONTH_SLACK_DAYS:
            short[row["area"]] += row["n"]
    area_labels = dict(NeedArea.choices)
    result = []
    for area, _label in NeedArea.choices:
        if area not in lengths:
            continue
        expanded = [m for m, n in lengths[area] for _ in range(n)]
        result.append(
            DecisionPeriods(
                area=str(area_labels[area]),
                decisions=len(expanded),
                median_months=round(statistics.median(expanded), 1) if expanded else None,
                under_minimum=short[area],
            )
        )
    return result


def responsibility_gaps(
    cases: QuerySet[Case], today: datetime.date, groups: list[grouped.GapGroup] | None = None
) -> Counts:
    """Open gaps on the day (a need nobody carries), by need area and how long they stood.

    A core need never assessed has stood since the case opened. One grouped query
    (`grouped.gap_groups`, which the report shares with the equal-access comparison).
    """
    if groups is None:
        groups = grouped.gap_groups(cases, today)
    area_labels = dict(NeedArea.choices)
    ages = [_(label) for label, _high in GAP_AGES] + [_(GAP_AGE_OLDEST)]
    counts = Counts(rows={"area": [str(label) for _, label in NeedArea.choices], "age": ages})
    for (area, age), n in grouped.gap_counts_by_area(groups).items():
        counts.add("area", "age", str(area_labels[area]), ages[age], n)
    return counts


def follow_ups(
    cases: QuerySet[Case],
    period: Period,
    places: list[str],
    by_unit: bool,
    today: datetime.date,
    groups: list[grouped.FollowUpGroup] | None = None,
) -> Counts:
    """Follow-ups planned in the period (up to today): held on time, late or not at all.

    From `grouped.follow_up_groups` (one query), which the report shares with the
    equal-access comparison's follow-ups due."""
    if groups is None:
        groups = grouped.follow_up_groups(cases, period, today, by_unit, with_due=False)
    counts = Counts(rows={"place": places, "status": [_(c) for c in FOLLOW_UP_COLUMNS]})
    for group in groups:
        if not group.in_period:
            continue
        if group.days is None:
            status = FOLLOW_UP_COLUMNS[2]
        elif group.days <= FOLLOW_UP_GRACE_DAYS:
            status = FOLLOW_UP_COLUMNS[0]
        else:
            status = FOLLOW_UP_COLUMNS[1]
        counts.add("place", "status", place_label(group.place), _(status), group.count)
    return counts


def needs_over_time(cases: QuerySet[Case], period: Period, today: datetime.date) -> Counts:
    """Housing, occupation and social network: level at the first assessment against the level
    at the 12-month follow-up, for follow-ups held by the cut-off day (one query)."""
    cut = period.cut_off(today)
    twelve = FollowUp.objects.filter(
        case__in=cases.values("pk"),
        months=12,
        held_on__isnull=False,
        held_on__lte=cut,
        assessment_round__isnull=False,
    ).values("assessment_round_id")
    first_level = (
        Assessment.objects.filter(case=OuterRef("case"), area=OuterRef("area"))
        .order_by("assessed_on", "round_id")
        .values("worker_level")[:1]
    )
    rows = (
        Assessment.objects.filter(round_id__in=twelve, area__in=CORE_AREAS)
        .annotate(first=Subquery(first_level))
        .annotate(
            change=When_(
                When(worker_level__gt=F("first"), then=Value(NEED_COLUMNS[0])),
                When(worker_level=F("first"), then=Value(NEED_COLUMNS[1])),
                default=Value(NEED_COLUMNS[2]),
                output_field=CharField(),
            )
        )
        .values("area", "change")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    area_labels = dict(NeedArea.choices)
    counts = Counts(
        rows={
            "area": [str(area_labels[a]) for a in CORE_AREAS],
            "change": [_(c) for c in NEED_COLUMNS],
        }
    )
    for row in rows:
        counts.add("area", "change", str(area_labels[row["area"]]), _(row["change"]), row["n"])
    return counts


def referrals(cases: QuerySet[Case], period: Period, places: list[str], by_unit: bool) -> Counts:
    """Referrals to civil society sent in the period, by place and by where they stand today
    (the coordinator's disjoint outcomes, partners.queries.OUTCOMES): one query."""
    from brygga.partners.models import Referral
    from brygga.partners.queries import OUTCOMES, outcome_labels

    labels = outcome_labels()
    column = {
        status: labels[i] for i, (_key, statuses) in enumerate(OUTCOMES) for status in statuses
    }
    place = "case__" + _place_field(by_unit)
    rows = (
        Referral.objects.filter(
            case__in=cases.values("pk"), sent_on__gte=period.start, sent_on__lte=period.end
        )
        .values(place, "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Counts(rows={"place": places, "outcome": labels})
    for row in rows:
        counts.add("place", "outcome", place_label(row[place]), column[row["status"]], row["n"])
    return counts


SIGNAL_LABELS = {
    "no_contact": gettext_noop("Ingen kontakt på länge"),
    "housing_ending": gettext_noop("Boendeinsats slutar utan fortsättning"),
    "lost_contact": gettext_noop("Kontakten förlorad"),
    "returned_to_family": gettext_noop("Återvänt till familjen"),
    "new_violence": gettext_noop("Nytt våld"),
    "follow_up_missed": gettext_noop("Missad uppföljning"),
    "risk_review_overdue": gettext_noop("Försenad omprövning av risk"),
    "need_worse": gettext_noop("Behovet har ökat"),
    "referral_unanswered": gettext_noop("Förmedling till civilsamhället obesvarad"),
}


def early_warnings(cases: QuerySet[Case], today: datetime.date) -> Counts:
    """Open cases with each early-warning signal today (support.signals' rules, the same the
    workers' lists use), counted in the database (`grouped.signal_counts`): one query for the
    built-in rules whatever the scope, no signal built only to be counted."""
    by_kind = grouped.signal_counts(cases, today)
    kinds = [*SIGNAL_LABELS, *sorted(k for k in by_kind if k not in SIGNAL_LABELS)]
    labels = {k: _(SIGNAL_LABELS[k]) if k in SIGNAL_LABELS else k for k in kinds}
    counts = Counts(rows={"signal": [labels[k] for k in kinds], "cases": [_("ärenden")]})
    for kind, n in by_kind.items():
        counts.add("signal", "cases", labels[kind], _("ärenden"), n)
    return counts
