"""Bulk reads for the case panel, the to-do list and the manager's overview.

Each function runs a fixed number of queries whatever the data volume. The SQL versions of the
rules mirror rules.py; tests check that both agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)

from brygga.access import policy
from brygga.cases.models import Case, CaseTeamMember, Phase, TeamRole
from brygga.support import rules, signals
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import (
    CARRYING_STATUSES,
    ActorKind,
    Assessment,
    CaseAreaState,
    FollowUp,
    Intervention,
    InterventionStatus,
    Task,
)

LIST_LIMIT = 50


def open_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.exclude(phase=Phase.CLOSED)


def _uncarried(case: Any, area: Any, today: datetime.date) -> Q:
    """Nobody carries the area: no granted or active decision still running, no open task in it
    with an owner (the SQL form of `rules.responsibility_gaps`' carrying test)."""
    carrying = Intervention.objects.filter(
        case=case, area=area, status__in=CARRYING_STATUSES
    ).filter(Q(period_end__isnull=True) | Q(period_end__gte=today))
    owned_task = Task.objects.filter(case=case, area=area, done_at__isnull=True).exclude(
        actor_kind=""
    )
    return ~Q(Exists(carrying)) & ~Q(Exists(owned_task))


def gap_rows(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Assessment]:
    """One row per assessed gap: the latest assessment of an area at level 1–3 that nobody
    carries. The unassessed core areas are in `unassessed_gap_cases`."""
    newer = Assessment.objects.filter(case=OuterRef("case"), area=OuterRef("area")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), round_id__gt=OuterRef("round_id"))
    )
    return (
        Assessment.objects.filter(
            case__in=open_cases(cases).values("pk"), worker_level__lte=rules.NEED_THRESHOLD
        )
        .exclude(Exists(newer))
        .filter(_uncarried(OuterRef("case"), OuterRef("area"), today))
    )


def unassessed_flag(area: str) -> str:
    """The name of `unassessed_gap_cases`' annotation for a core area."""
    return f"unassessed_{area}"


def unassessed_gap_cases(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    """Open cases with a core need never assessed that nobody carries; each is annotated with
    a boolean per core area (`unassessed_flag(area)`)."""
    flags = {}
    for area in CORE_AREAS:
        assessed = Assessment.objects.filter(case=OuterRef("pk"), area=area.value)
        flags[unassessed_flag(area.value)] = ExpressionWrapper(
            ~Q(Exists(assessed)) & _uncarried(OuterRef("pk"), area.value, today),
            output_field=BooleanField(),
        )
    any_flag = Q()
    for name in flags:
        any_flag |= Q(**{name: True})
    return open_cases(cases).annotate(**flags).filter(any_flag)


def unassessed_count(prefix: str = "") -> Any:
    """An aggregate counting the unassessed gaps over `unassessed_gap_cases` rows."""
    total: Any = None
    for area in CORE_AREAS:
        count = Count(prefix + "pk", filter=Q(**{unassessed_flag(area.value): True}))
        total = count if total is None else total + count
    return total


def gap_areas(cases: QuerySet[Case], today: datetime.date) -> QuerySet[CaseAreaState]:
    """Every gap, assessed or not, from the precomputed state: one CaseAreaState row each (its
    `level` None for a core need never assessed). The same gaps as `gap_rows` and
    `unassessed_gap_cases` together, which compute them from the records (decision 0120)."""
    need = Q(level__lte=rules.NEED_THRESHOLD) | Q(
        level__isnull=True, area__in=[a.value for a in CORE_AREAS]
    )
    uncarried = Q(carried_until__isnull=True) | Q(carried_until__lt=today)
    return CaseAreaState.objects.filter(need & uncarried, case__in=open_cases(cases).values("pk"))


def cases_with_gaps(cases: QuerySet[Case], today: datetime.date) -> Q:
    """A filter for the cases with at least one gap, assessed or not."""
    return Q(pk__in=gap_areas(cases, today).values("case_id"))


@dataclass(frozen=True)
class Gap:
    """One gap on a list: the case, the area and its latest level (None: never assessed)."""

    case: Case
    area: str
    level: int | None

    @property
    def case_id(self) -> int:
        return self.case.pk

    @property
    def label(self) -> str:
        return str(NeedArea(self.area).label)

    @property
    def is_unassessed(self) -> bool:
        return self.level is None


def gaps_by_case(cases: QuerySet[Case], today: datetime.date) -> dict[int, list[str]]:
    """Each case's gap areas, the SQL twin of `rules.responsibility_gaps`: the assessed ones
    first, then the core needs never assessed (one query)."""
    found: dict[int, list[str]] = {}
    rows = gap_areas(cases, today).order_by(
        "case_id", F("level").asc(nulls_last=True), F("assessed_on"), "area"
    )
    for case_id, area in rows.values_list("case_id", "area"):
        found.setdefault(case_id, []).append(area)
    return found


def gap_list(
    cases: QuerySet[Case], today: datetime.date, limit: int = LIST_LIMIT
) -> tuple[list[Gap], int]:
    """The first gaps for the to-do list, assessed and unassessed, by case and area, and how
    many there are in all (two queries, on the precomputed state). Not one query with a window
    count: PostgreSQL then walks every case of the city in id order to find the first rows
    (0.3 s at 100 000 persons); without it, it stops at the first `limit`."""
    gaps = gap_areas(cases, today)
    rows = gaps.select_related("case__person").order_by("case_id", "area")[:limit]
    return [Gap(row.case, row.area, row.level) for row in rows], gaps.count()


def ending_decisions(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Intervention]:
    return Intervention.objects.filter(
        case__in=open_cases(cases).values("pk"),
        status__in=CARRYING_STATUSES,
        period_end__gte=today,
        period_end__lte=today + datetime.timedelta(days=rules.ENDING_SOON_DAYS),
    )


def decisions_without_follow_on(
    cases: QuerySet[Case], today: datetime.date
) -> QuerySet[Intervention]:
    later = (
        Intervention.objects.filter(
            case=OuterRef("case"), type=OuterRef("type"), status__in=rules.FOLLOW_ON_STATUSES
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(period_start__isnull=True) | Q(period_start__gt=OuterRef("period_start")))
    )
    return Intervention.objects.filter(
        case__in=open_cases(cases).values("pk"),
        status__in=[*CARRYING_STATUSES, InterventionStatus.ENDED],
        no_follow_on_needed=False,
        period_start__isnull=False,
        period_end__lte=today + datetime.timedelta(days=rules.ENDING_SOON_DAYS),
    ).exclude(Exists(later))


def follow_ups_due(cases: QuerySet[Case], today: datetime.date) -> QuerySet[FollowUp]:
    """The follow-ups not held and planned within the horizon: of the cases whose precomputed
    next follow-up (the earliest not held) is within it, the only ones that can have any
    (decision 0120; no scan of every follow-up of a unit's thousands of cases)."""
    horizon = today + datetime.timedelta(days=rules.FOLLOW_UP_DUE_DAYS)
    due = open_cases(cases).filter(state__next_follow_up_on__lte=horizon)
    return FollowUp.objects.filter(
        case__in=due.values("pk"), held_on__isnull=True, planned_on__lte=horizon
    )


def risk_reviews_due(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Any] | None:
    """Each open case's latest risk assessment whose review is due (a model of the cases app)."""
    try:
        model = apps.get_model("cases", "RiskAssessment")
    except LookupError:
        return None
    newer = model.objects.filter(case=OuterRef("case")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    # Only the cases whose precomputed review date (the latest assessment's) is due can have
    # a row: the latest assessment is then looked up among theirs alone (decision 0120).
    horizon = today + datetime.timedelta(days=rules.FOLLOW_UP_DUE_DAYS)
    due = open_cases(cases).filter(state__risk_review_on__lte=horizon)
    return model.objects.filter(case__in=due.values("pk"), next_review_on__lte=horizon).exclude(
        Exists(newer)
    )


def cases_without_risk_assessment(cases: QuerySet[Case]) -> QuerySet[Case] | None:
    """Open cases with no risk assessment at all (a model of the cases app): those whose
    precomputed review date is empty (every risk assessment has one; decision 0120)."""
    try:
        apps.get_model("cases", "RiskAssessment")
    except LookupError:
        return None
    return open_cases(cases).filter(state__risk_review_on__isnull=True)


def first_rows(qs: QuerySet[Any], *order: Any, limit: int = LIST_LIMIT) -> tuple[list[Any], int]:
    """The first `limit` rows and how many there are in all, in one query (a window count)."""
    rows = list(qs.annotate(rows_in_all=Window(Count("pk"))).order_by(*order)[:limit])
    return rows, (rows[0].rows_in_all if rows else 0)


@dataclass(frozen=True)
class CaseSignal:
    """A signal with its case (and person) loaded, for the pages that list them."""

    signal: signals.Signal
    case: Case


def open_signals(cases: QuerySet[Case], today: datetime.date) -> dict[int, list[signals.Signal]]:
    """The signals of these cases' open ones, each case's most severe first: the cases as a
    subquery (never a list of thousands of ids), a fixed number of queries."""
    return signals.signals_for_cases(open_cases(cases).values("pk"), today)


def team_case_ids(user: Any, cases: QuerySet[Case]) -> set[int]:
    """The open cases among these whose team the user is on (one query)."""
    team = CaseTeamMember.objects.filter(user_id=user.pk, case__in=open_cases(cases).values("pk"))
    return set(team.values_list("case_id", flat=True))


def overview_signals(
    user: Any, cases: QuerySet[Case], today: datetime.date
) -> tuple[dict[int, list[signals.Signal]], dict[int, tuple[int, int]], set[int]]:
    """For the manager's overview: the signals its to-do list may show (see
    `signals_shown_to`), every open case's signal counts (severe, all) for the counts per
    worker, and the user's team cases; one query plus one per rule, and only the signals
    shown are built."""
    on_team = team_case_ids(user, cases)
    found, counts = signals.shown_and_counted(on_team, open_cases(cases).values("pk"), today)
    return found, counts, on_team


def signals_shown_to(
    user: Any,
    cases: QuerySet[Case],
    today: datetime.date,
    limit: int = LIST_LIMIT,
    found: dict[int, list[signals.Signal]] | None = None,
    on_team: set[int] | None = None,
) -> list[CaseSignal]:
    """Signals on the user's open cases, most severe first: all of them on the cases whose team
    the user is on, the severe ones on the others (the cases of the units they manage).

    Two queries plus those of the signal sources (none when `found`, the cases' signals from
    `open_signals`, is given), whatever the number of cases. Without `found`, only the
    signals shown are built: every one of the user's team cases, the severe ones of the
    others (a manager sees thousands of warnings on the unit's cases, and none of them here).
    """
    if on_team is None:
        on_team = team_case_ids(user, cases)
    if found is None:
        team = CaseTeamMember.objects.filter(
            user_id=user.pk, case__in=open_cases(cases).values("pk")
        )
        found = signals.own_and_severe_signals(
            team.values("case_id"), on_team, open_cases(cases).values("pk"), today
        )
    shown = [s for s in signals.by_severity(found) if s.is_severe or s.case_id in on_team][:limit]
    by_id = Case.objects.select_related("person").in_bulk({s.case_id for s in shown})
    return [CaseSignal(s, by_id[s.case_id]) for s in shown if s.case_id in by_id]


# The start page's lists by urgency: what is late or due now, what comes within weeks, and
# what needs a plan but has no date.
URGENCY_GROUPS: dict[str, tuple[str, ...]] = {
    "now": ("signals", "follow_ups", "risk_reviews", "awaiting_manager"),
    "soon": ("ending", "own_tasks", "queue", "waiting"),
    "plan": ("gaps", "no_follow_on", "without_risk_assessment"),
}


@dataclass
class Todo:
    follow_ups: list[FollowUp] = field(default_factory=list)
    ending: list[Intervention] = field(default_factory=list)
    no_follow_on: list[Intervention] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    risk_reviews: list[Any] = field(default_factory=list)
    own_tasks: list[Task] = field(default_factory=list)  # "Mitt arbete": every open one
    queue: list[Task] = field(default_factory=list)  # owned by a role the user holds there
    waiting: list[Task] = field(default_factory=list)  # owned by an outside organisation
    awaiting_manager: list[Intervention] = field(default_factory=list)
    signals: list[CaseSignal] = field(default_factory=list)
    without_risk_assessment: list[Case] = field(default_factory=list)
    # How many rows each list has in all (a list shows at most `limit`), by attribute name.
    totals: dict[str, int] = field(default_factory=dict)
    today: datetime.date | None = None
    limit: int = LIST_LIMIT

    def total(self, name: str) -> int:
        return self.totals.get(name, len(getattr(self, name)))

    @property
    def group_totals(self) -> dict[str, int]:
        """How many rows each urgency group of the start page holds."""
        return {
            group: sum(self.total(name) for name in names)
            for group, names in URGENCY_GROUPS.items()
        }

    @property
    def person_ids(self) -> list[int]:
        rows: list[Any] = [
            *self.follow_ups,
            *self.ending,
            *self.no_follow_on,
            *self.gaps,
            *self.risk_reviews,
            *self.own_tasks,
            *self.queue,
            *self.waiting,
            *self.awaiting_manager,
            *self.signals,
        ]
        persons = {row.case.person_id for row in rows}
        persons.update(case.person_id for case in self.without_risk_assessment)
        return sorted(persons)

    @property
    def is_empty(self) -> bool:
        return not self.person_ids


def todo_for(
    user: Any,
    cases: QuerySet[Case],
    today: datetime.date,
    manager_unit_ids: set[int],
    found: dict[int, list[signals.Signal]] | None = None,
    own_cases: set[int] | None = None,
) -> Todo:
    """The worker's to-do list over the cases they may see: one query per list, whatever the
    number of rows (each list knows its total through a window count). `found`: the cases'
    signals from `open_signals` or `overview_signals`, when the caller has them already;
    `own_cases`: the user's team cases, when the caller has them (`team_case_ids`)."""
    related = ("case__person",)
    todo = Todo(today=today)

    def fill(name: str, qs: QuerySet[Any], *order: Any) -> None:
        rows, todo.totals[name] = first_rows(qs, *order)
        setattr(todo, name, rows)

    fill("follow_ups", follow_ups_due(cases, today).select_related(*related), "planned_on", "pk")
    fill(
        "ending",
        ending_decisions(cases, today).select_related("type", *related),
        "period_end",
        "pk",
    )
    # Newest first: a decision that ended years ago must not push out one ending this month.
    fill(
        "no_follow_on",
        decisions_without_follow_on(cases, today).select_related("type", *related),
        "-period_end",
        "-pk",
    )
    todo.gaps, todo.totals["gaps"] = gap_list(cases, today)
    reviews = risk_reviews_due(cases, today)
    if reviews is not None:
        # By the review date as the case state holds it (the latest assessment's, so the same
        # order): sorted by the assessment's own column, PostgreSQL walked its index through
        # every assessment of the city to find the unit's first rows (0.4-1.3 s at 100 000).
        fill(
            "risk_reviews",
            reviews.select_related(*related),
            "case__state__risk_review_on",
            "pk",
        )
    unassessed = cases_without_risk_assessment(cases)
    if unassessed is not None:
        fill("without_risk_assessment", unassessed.select_related("person"), "opened_on", "pk")
    open_tasks = Task.objects.filter(
        case__in=open_cases(cases).values("pk"), done_at__isnull=True
    ).select_related(*related)
    by_due = (F("due_on").asc(nulls_last=True), "pk")
    fill("own_tasks", open_tasks.filter(policy.own_tasks_q(user)), *by_due)
    fill(
        "queue",
        open_tasks.filter(policy.role_queue_q(user), taken_by__isnull=True).select_related(
            "actor_unit"
        ),
        *by_due,
    )
    on_team = CaseTeamMember.objects.filter(
        user_id=user.pk, role__in=policy.CHANGING_TEAM_ROLES
    ).values("case_id")
    fill(
        "waiting",
        open_tasks.filter(actor_kind=ActorKind.ORGANISATION, case_id__in=on_team),
        *by_due,
    )
    todo.signals = signals_shown_to(user, cases, today, found=found, on_team=own_cases)
    if manager_unit_ids:
        fill(
            "awaiting_manager",
            Intervention.objects.filter(
                case__in=cases.filter(owning_unit_id__in=manager_unit_ids).values("pk"),
                status=InterventionStatus.AWAITING_MANAGER,
            ).select_related("type", *related),
            "updated_at",
            "pk",
        )
    return todo


@dataclass
class UnitOverview:
    unit: Any
    # (phase value, label, count) in lifecycle order; (user id, name, count) by load.
    by_phase: list[tuple[str, str, int]] = field(default_factory=list)
    open_cases: int = 0
    gaps: int = 0
    overdue_follow_ups: int = 0
    ending: int = 0
    workload: list[tuple[int, str, int]] = field(default_factory=list)
    # (responsible worker, severe signals, all signals) on the unit's open cases
    signals_by_worker: list[tuple[str, int, int]] = field(default_factory=list)


def unit_overviews(
    cases: QuerySet[Case],
    units: list[Any],
    today: datetime.date,
    signal_counts: dict[int, tuple[int, int]] | None = None,
) -> list[UnitOverview]:
    """Counts per unit: six queries plus the signals' (none when `signal_counts`, each case's
    signal counts from `overview_signals`, is given), whatever the number of units or cases."""
    overviews = {unit.pk: UnitOverview(unit=unit) for unit in units}
    cases = cases.filter(owning_unit_id__in=list(overviews))
    counts: dict[int, dict[str, int]] = {pk: {} for pk in overviews}
    for row in cases.values("owning_unit_id", "phase").annotate(n=Count("pk")).order_by():
        counts[row["owning_unit_id"]][row["phase"]] = row["n"]
        if row["phase"] != Phase.CLOSED:
            overviews[row["owning_unit_id"]].open_cases += row["n"]
    for pk, overview in overviews.items():
        # Lifecycle order, every phase shown (a zero is information too).
        overview.by_phase = [(p.value, str(p.label), counts[pk].get(p.value, 0)) for p in Phase]

    def count_into(qs: QuerySet[Any], attr: str) -> None:
        for row in qs.values("case__owning_unit_id").annotate(n=Count("pk")).order_by():
            setattr(overviews[row["case__owning_unit_id"]], attr, row["n"])

    count_into(gap_areas(cases, today), "gaps")
    count_into(
        FollowUp.objects.filter(
            case__in=open_cases(cases).values("pk"), held_on__isnull=True, planned_on__lt=today
        ),
        "overdue_follow_ups",
    )
    count_into(ending_decisions(cases, today), "ending")
    workload = (
        CaseTeamMember.objects.filter(
            case__in=open_cases(cases).values("pk"), role=TeamRole.RESPONSIBLE
        )
        .values(
            "case__owning_unit_id",
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "user__first_name")
    )
    for load in workload:
        overviews[load["case__owning_unit_id"]].workload.append(
            (load["user_id"], _name(load), load["n"])
        )
    if signal_counts is None:
        found = open_signals(cases, today)
        signal_counts = {
            case_id: (sum(s.is_severe for s in case_signals), len(case_signals))
            for case_id, case_signals in found.items()
        }
    _count_signals_per_worker(cases, overviews, signal_counts)
    return list(overviews.values())


def _name(row: Mapping[str, Any]) -> str:
    name = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return name or row["user__username"]


def _count_signals_per_worker(
    cases: QuerySet[Case],
    overviews: dict[int, UnitOverview],
    counts: dict[int, tuple[int, int]],
) -> None:
    """Signals on each responsible worker's open cases, from each case's (severe, all) signal
    counts: one query."""
    responsible = CaseTeamMember.objects.filter(
        case__in=open_cases(cases).values("pk"), role=TeamRole.RESPONSIBLE
    ).values(
        "case_id", "case__owning_unit_id", "user__first_name", "user__last_name", "user__username"
    )
    worker_of = {row["case_id"]: (row["case__owning_unit_id"], _name(row)) for row in responsible}
    tallies: dict[tuple[int, str], list[int]] = {}
    for case_id, (case_severe, case_total) in counts.items():
        if case_id not in worker_of:
            continue
        tally = tallies.setdefault(worker_of[case_id], [0, 0])
        tally[0] += case_severe
        tally[1] += case_total
    for (unit_id, name), (severe, total) in sorted(tallies.items(), key=lambda kv: kv[0][1]):
        overviews[unit_id].signals_by_worker.append((name, severe, total))


def worker_todo(user: Any) -> Todo | None:
    """The start page's to-do list, or None for users without case work (administrators)."""
    from django.utils import timezone

    if not policy.is_caseworker(user):
        return None
    today = timezone.localdate()
    return todo_for(user, policy.visible_cases(user), today, policy.managed_unit_ids(user))
