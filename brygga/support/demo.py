"""Demo support histories: assessments over up to two years, plans with some gaps, decisions
about to end, tasks and follow-ups.

The first FULL_HISTORIES cases get full histories; every other case gets one assessment of the
three core areas and its follow-up schedule. Reads cases in one query per batch and bulk
inserts everything: never a query per case.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from brygga.cases.models import Case, Phase
from brygga.lib import bulk
from brygga.lib.demo_world import BATCH, DemoWorld
from brygga.organisation.models import Role, Unit
from brygga.support import rules
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import (
    ActorKind,
    Assessment,
    AssessmentRound,
    DistrictRoute,
    FollowUp,
    Goal,
    Intervention,
    InterventionStatus,
    InterventionType,
    Task,
)
from brygga.support.templates_catalogue import TASK_TEMPLATES

FULL_HISTORIES = 2000
DAY = datetime.timedelta(days=1)
PLAN = {
    NeedArea.HOUSING: ["Genomgångsbostad (SHIS)", "Jourlägenhet", "Boendestöd / boendelots"],
    NeedArea.OCCUPATION: ["Studier / SFI", "Jobbtorg Stockholm", "Arbetsförmedlingen"],
    NeedArea.SOCIAL: ["Kontaktperson", "Mentorprogram i civilsamhället"],
    NeedArea.ECONOMY: ["Ekonomiskt bistånd"],
    NeedArea.HEALTH: ["Stödsamtal"],
}
# Who outside the city carries out an intervention type that no route gives to a unit. Only
# organisations that really do that kind of work: no financial aid from a women's shelter, and
# never a shelter at all (naming it as provider or responsible says where the person stays).
PROVIDERS: dict[str, list[str]] = {
    "Eget förstahandskontrakt": ["Bostadsförmedlingen (demo)"],
    "Studier / SFI": ["Komvux och SFI Stockholm (demo)"],
    "Arbetsförmedlingen": ["Arbetsförmedlingen (demo)"],
    "Samordningsförbundet": ["Samordningsförbundet Stockholm (demo)"],
    "Mentorprogram i civilsamhället": ["Föreningen Systerskap (demo)"],
    "Stödsamtal": ["Brottsofferjouren Stockholm (demo)", "Föreningen Systerskap (demo)"],
}
# Organisations that own a task of a need area, when a task is given outside the city. Never a
# shelter: the responsible organisation is shown on the plan.
AREA_ORGANISATIONS: dict[str, list[str]] = {
    NeedArea.HOUSING: ["Bostadsförmedlingen (demo)"],
    NeedArea.OCCUPATION: ["Arbetsförmedlingen (demo)", "Komvux och SFI Stockholm (demo)"],
    NeedArea.SOCIAL: ["Föreningen Systerskap (demo)"],
    NeedArea.SAFETY: ["Brottsofferjouren Stockholm (demo)"],
    NeedArea.ECONOMY: ["Budget- och skuldrådgivningen (demo)"],
    NeedArea.HEALTH: ["Vårdcentralen Stockholm (demo)", "Föreningen Systerskap (demo)"],
    NeedArea.CHILDREN: ["Barnahus Stockholm (demo)"],
}
GOALS = {
    NeedArea.HOUSING: "Ett eget förstahandskontrakt inom två år",
    NeedArea.OCCUPATION: "Klara SFI D och börja en utbildning",
    NeedArea.SOCIAL: "Ha några vänner att träffa varje vecka",
}
PERSON_GOALS = ["Bo tryggt", "Få ett jobb", "Känna mig mindre ensam", "Klara mig själv", ""]


@dataclass
class Batch:
    rounds: list[tuple[AssessmentRound, list[Assessment]]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    def flush(self) -> None:
        created = bulk.insert(AssessmentRound, [r for r, _ in self.rounds])
        rows = []
        for round_, (_, assessments) in zip(created, self.rounds, strict=True):
            for a in assessments:
                a.round_id = round_.pk
                rows.append(a)
        bulk.insert(Assessment, rows)
        bulk.insert(Goal, self.goals)
        bulk.insert(Intervention, self.interventions)
        bulk.insert(Task, self.tasks)
        bulk.insert(FollowUp, self.follow_ups)
        self.__init__()  # type: ignore[misc]


def _level(rng: random.Random, start: int, progress: float) -> int:
    return max(1, min(5, round(start + progress * 3 + rng.uniform(-0.8, 0.8))))


def _assessments(
    rng: random.Random,
    case: Case,
    dates: list[datetime.date],
    areas: Sequence[str],
    batch: Batch,
    low: int = 1,
) -> dict[str, int]:
    start = {area: rng.randint(low, low + 1) for area in areas}
    latest: dict[str, int] = {}
    for n, on in enumerate(dates):
        progress = n / max(len(dates) - 1, 1)
        rows = []
        for area in areas:
            level = _level(rng, start[area], progress)
            latest[area] = level
            rows.append(
                bulk.new(
                    Assessment,
                    case_id=case.pk,
                    assessed_on=on,
                    area=area,
                    worker_level=level,
                    person_level=max(1, min(5, level + rng.choice([-1, 0, 0, 1]))),
                    description="Fiktiv bedömning (demo).",
                    person_goal=rng.choice(PERSON_GOALS),
                )
            )
        batch.rounds.append((bulk.new(AssessmentRound, case_id=case.pk, assessed_on=on), rows))
    return latest


def build(world: DemoWorld) -> None:
    if not world.case_ids:
        return
    rng = random.Random(world.rng.random())  # noqa: S311 - synthetic data
    today = world.today
    types = {t.name: t for t in InterventionType.objects.all()}
    by_unit = {d.unit.pk: d for d in world.districts}
    routes = build_routes(world, types)
    months = rules.follow_up_months()
    ids = sorted(world.case_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        cases = Case.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1]).only(
            "pk", "phase", "opened_on", "left_protected_housing_on", "owning_unit_id"
        )
        batch = Batch()
        for case in cases:
            full = case.pk <= ids[min(FULL_HISTORIES, len(ids)) - 1]
            district = by_unit.get(case.owning_unit_id)
            route = routes.get(district.unit.pk, {}) if district else {}
            _build_case(rng, world, case, full, types, district, route, months, today, batch)
        batch.flush()


def _build_case(
    rng: random.Random,
    world: DemoWorld,
    case: Case,
    full: bool,
    types: dict[str, InterventionType],
    district: Any,
    routes: dict[str, DistrictRoute],
    months: list[int],
    today: datetime.date,
    batch: Batch,
) -> None:
    left_on = rules.left_protected_housing_on(case)
    for m, planned_on in rules.follow_up_schedule(left_on, months):
        if planned_on > today + 400 * DAY:
            break
        held = planned_on < today - 20 * DAY and rng.random() < 0.85
        if not full and planned_on < today - 60 * DAY:
            held = True
        batch.follow_ups.append(
            bulk.new(
                FollowUp,
                case_id=case.pk,
                months=m,
                planned_on=planned_on,
                held_on=planned_on + rng.randint(0, 10) * DAY if held else None,
                participants="Personen och socialsekreteraren" if held else "",
                note="Fiktiv uppföljning (demo)." if held else "",
            )
        )
    if not full:
        # Mostly managing well; about one in ten light cases shows a need nobody carries.
        low = 2 if rng.random() < 0.1 else 4
        on = min(case.opened_on + 20 * DAY, today)
        _assessments(rng, case, [on], list(CORE_AREAS), batch, low=low)
        return
    span = (today - case.opened_on).days
    n = max(1, min(8, span // 90 + 1))
    dates = sorted({case.opened_on + DAY * (i * span // n) for i in range(n)})
    areas = [*CORE_AREAS, NeedArea.SAFETY, NeedArea.ECONOMY]
    if rng.random() < 0.4:
        areas.append(NeedArea.HEALTH)
    latest = _assessments(rng, case, dates, areas, batch)
    for area, text in GOALS.items():
        batch.goals.append(bulk.new(Goal, case_id=case.pk, area=area, text=text))
    gap_area = rng.choice(list(CORE_AREAS)) if rng.random() < 0.2 else None
    closed = case.phase == Phase.CLOSED
    for area, names in PLAN.items():
        if area == gap_area or (area not in latest):
            continue
        kind = types.get(rng.choice(names))
        if kind is None:
            continue
        period_start = min(case.opened_on + rng.randint(10, 60) * DAY, today - 5 * DAY)
        roll = rng.random()
        if roll < 0.12 and not closed:
            period_end = today + rng.randint(1, 30) * DAY  # about to end
        else:
            period_end = rules.default_period_end(period_start, kind.default_period_months)
        status = InterventionStatus.ACTIVE if period_end >= today else InterventionStatus.ENDED
        if kind.needs_manager_decision and rng.random() < 0.05 and not closed:
            status = InterventionStatus.AWAITING_MANAGER
        decided = status != InterventionStatus.AWAITING_MANAGER
        batch.interventions.append(
            Intervention(
                case=case,
                type=kind,
                area=kind.area,
                status=status,
                requested_status=InterventionStatus.GRANTED if not decided else "",
                decision_on=period_start - 3 * DAY if decided and kind.is_decision else None,
                decision_maker=(district.manager if kind.needs_manager_decision else None)
                if district and decided and kind.is_decision
                else None,
                legal_ground="4 kap. 1 § SoL" if kind.is_decision else "",
                period_start=period_start,
                period_end=period_end,
                short_period_reason="Kort period i väntan på eget kontrakt (demo)."
                if rules.is_short_period(period_start, period_end, kind.minimum_period_months)
                else "",
                **_owner_and_provider(rng, kind, routes.get(kind.name)),
            )
        )
    for area in (NeedArea.SAFETY, NeedArea.ECONOMY, NeedArea.HEALTH):
        if area in latest and latest[area] <= rules.NEED_THRESHOLD and area != gap_area:
            batch.tasks.append(
                Task(
                    case=case,
                    area=area,
                    title=str(TASK_TEMPLATES[area][0]),
                    due_on=today + rng.randint(5, 60) * DAY,
                    actor_kind=ActorKind.ORGANISATION,
                    actor_organisation=rng.choice(AREA_ORGANISATIONS[area]),
                )
            )
    for _ in range(rng.randint(1, 4)):
        area = rng.choice([a for a in areas if a in TASK_TEMPLATES and a != gap_area])
        owner: dict[str, Any]
        roll = rng.random()
        if roll < 0.4 and district:
            owner = {"actor_kind": ActorKind.STAFF, "actor_user": rng.choice(district.workers)}
        elif roll < 0.6 and district:
            owner = {"actor_kind": ActorKind.ROLE, "actor_role": "housing_support"}
            owner["actor_unit_id"] = district.unit.pk
        else:
            owner = {"actor_kind": ActorKind.ORGANISATION}
            owner["actor_organisation"] = rng.choice(AREA_ORGANISATIONS[area])
        due = today + rng.randint(-40, 60) * DAY
        done = rng.random() < 0.5
        batch.tasks.append(
            Task(
                case=case,
                area=area,
                title=str(rng.choice(TASK_TEMPLATES[area])),
                due_on=due,
                done_at=world_datetime(due) if done else None,
                **owner,
            )
        )


def _owner_and_provider(
    rng: random.Random, kind: InterventionType, route: DistrictRoute | None
) -> dict[str, Any]:
    """The district's route where there is one (a role in a unit, the unit that carries it
    out); otherwise an outside organisation that does that kind of work."""
    if route is not None:
        return {
            "provider": route.carrying_unit.name,
            "actor_kind": ActorKind.ROLE,
            "actor_role": route.owner_role,
            "actor_unit_id": route.owner_unit_id,
        }
    if kind.name not in PROVIDERS:
        return {"provider": ""}  # nobody yet: the plan shows the gap
    organisation = rng.choice(PROVIDERS[kind.name])
    return {
        "provider": organisation,
        "actor_kind": ActorKind.ORGANISATION,
        "actor_organisation": organisation,
    }


# SHIS transitional flats are granted by the violence team in every other district (Södermalm
# among them) and by financial aid in the rest (Rinkeby-Kista among them), as the seed says.
SHIS = "Genomgångsbostad (SHIS)"


def shis_by_violence_team(slug: str, index: int) -> bool:
    if slug in ("sodermalm", "rinkeby"):
        return slug == "sodermalm"
    return index % 2 == 0


def build_routes(
    world: DemoWorld, types: dict[str, InterventionType]
) -> dict[int, dict[str, DistrictRoute]]:
    """Each district's routes, by the district's violence team unit and type name."""
    jobbtorg = Unit.objects.filter(kind=Unit.Kind.EMPLOYMENT).first()
    contact = Unit.objects.filter(kind=Unit.Kind.CONTACT_PERSON).first()
    rows: list[DistrictRoute] = []
    for index, district in enumerate(world.districts):
        violence, aid = district.unit, district.financial_aid or district.unit
        shis = violence if shis_by_violence_team(district.slug, index) else aid
        plan: dict[str, tuple[Unit, Unit, str, Unit]] = {
            # type: (decides, carries out, owner role, owner unit)
            "Jourlägenhet": (violence, violence, Role.WORKER, violence),
            SHIS: (shis, shis, Role.WORKER, shis),
            "Boendestöd / boendelots": (violence, violence, Role.HOUSING_SUPPORT, violence),
            "Ekonomiskt bistånd": (aid, aid, Role.WORKER, aid),
            "Jobbtorg Stockholm": (aid, jobbtorg or aid, Role.WORKER, aid),
            "Kontaktperson": (violence, contact or violence, Role.CONTACT_COORDINATOR, violence),
        }
        for name, (decides, carries, role, owner) in plan.items():
            if name in types:
                rows.append(
                    DistrictRoute(
                        district_id=violence.administration_id,
                        intervention_type=types[name],
                        deciding_unit=decides,
                        carrying_unit=carries,
                        owner_role=role,
                        owner_unit=owner,
                    )
                )
    DistrictRoute.objects.bulk_create(rows)
    by_unit: dict[int, dict[str, DistrictRoute]] = {}
    units = {d.unit.administration_id: d.unit.pk for d in world.districts}
    for route in rows:
        by_unit.setdefault(units[route.district_id], {})[route.intervention_type.name] = route
    return by_unit


def world_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
