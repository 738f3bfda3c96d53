"""Demo histories: phases, protected-housing stays, risk assessments and outcome events.

The first FULL_HISTORIES cases get a realistic path (including relapses, a re-opened case,
overdue risk reviews); every other case gets one stay and one risk assessment, so volume
data still exercises the follow-up anchor and the to-do list. Bulk inserts throughout.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from brygga.cases.models import (
    Case,
    OutcomeEvent,
    OutcomeKind,
    Phase,
    PhaseChange,
    ProtectedHousingStay,
    RiskAssessment,
    RiskInstrument,
    RiskLevel,
    RiskScenario,
)
from brygga.lib import bulk
from brygga.lib.demo_world import BATCH, DemoWorld

FULL_HISTORIES = 2000
ORDER: list[str] = [
    Phase.PROTECTED_HOUSING,
    Phase.MOVING_OUT,
    Phase.ESTABLISHING,
    Phase.OWN_FEET,
    Phase.CLOSED,
]
PROVIDERS = [
    "Skyddat boende Linden (demo)",
    "Stiftelsen Tryggt Hem (demo)",
    "Kvinnojouren Björken (demo)",
    "Skyddat boende Eken, unga vuxna (demo)",
    "Jourboende Kastanjen (demo)",
]
SCENARIOS = [
    "Hot från familjen vid kontakt",
    "Eftersök via släkt och bekanta",
    "Eftersök via sociala medier",
    "Tvångsäktenskap eller bortförande utomlands",
    "Våld från tidigare partner",
    "Påtryckningar via syskon",
]
INSTRUMENTS = [
    (RiskInstrument.PATRIARK, 50),
    (RiskInstrument.FREDA, 30),
    (RiskInstrument.SARA_SV, 15),
    (RiskInstrument.OTHER, 5),
]
LEVELS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]


@dataclass
class Rows:
    phases: list[PhaseChange] = field(default_factory=list)
    stays: list[ProtectedHousingStay] = field(default_factory=list)
    outcomes: list[OutcomeEvent] = field(default_factory=list)
    risks: list[tuple[RiskAssessment, list[tuple[str, str]]]] = field(default_factory=list)
    left: dict[int, datetime.date | None] = field(default_factory=dict)
    closed: dict[int, datetime.date] = field(default_factory=dict)

    def flush(self) -> None:
        bulk.insert(PhaseChange, self.phases)
        bulk.insert(ProtectedHousingStay, self.stays)
        bulk.insert(OutcomeEvent, self.outcomes)
        assessments = bulk.insert(RiskAssessment, [a for a, _ in self.risks])
        bulk.insert(
            RiskScenario,
            [
                bulk.new(RiskScenario, assessment_id=a.pk, scenario=text, level=level)
                for a, (_, scenarios) in zip(assessments, self.risks, strict=True)
                for text, level in scenarios
            ],
        )
        # One UPDATE per column (not one per distinct date).
        bulk.update(Case, "left_protected_housing_on", self.left)
        bulk.update(Case, "closed_on", self.closed)
        for rows in (self.phases, self.stays, self.outcomes, self.risks):
            rows.clear()
        self.left.clear()
        self.closed.clear()


def _spread(
    rng: random.Random, start: datetime.date, end: datetime.date, n: int
) -> list[datetime.date]:
    """n sorted dates, the first on `start`, the rest spread up to `end`."""
    span = max((end - start).days, n)
    days = sorted(rng.sample(range(1, span + 1), n - 1)) if n > 1 else []
    return [start, *(min(start + datetime.timedelta(days=d), end) for d in days)]


def _path(rng: random.Random, phase: str, old: bool) -> tuple[list[str], str]:
    """The phases a case went through to reach `phase`, and its kind of history."""
    k = ORDER.index(Phase(phase))
    roll = rng.random()
    if old and k >= 1 and roll < 0.12:
        # Relapse: back into protected housing after leaving, then on again.
        return [*ORDER[:3], Phase.PROTECTED_HOUSING, *ORDER[1 : k + 1]], "new_stay"
    if old and k >= 2 and roll < 0.25:
        return ORDER[: k + 1], "returned"
    if old and phase in (Phase.ESTABLISHING, Phase.OWN_FEET) and roll < 0.28:
        # Closed too early and re-opened.
        return [*ORDER, phase], "reopened"
    return ORDER[: k + 1], "plain"


def _full_history(world: DemoWorld, rows: Rows, case: Case) -> None:
    # A closed case's history ends when it closed.
    rng, today = world.rng, case.closed_on or world.today
    old = (today - case.opened_on).days > 365
    path, kind = _path(rng, case.phase, old)
    dates = _spread(rng, case.opened_on, today, len(path))
    rows.phases.extend(
        bulk.new(PhaseChange, case_id=case.pk, phase=p, entered_on=d)
        for p, d in zip(path, dates, strict=True)
    )
    left: datetime.date | None = None
    for i, phase in enumerate(path):
        if phase != Phase.PROTECTED_HOUSING:
            continue
        ended = next(
            (dates[j] for j in range(i + 1, len(path)) if path[j] == Phase.MOVING_OUT), None
        )
        rows.stays.append(
            bulk.new(
                ProtectedHousingStay,
                case_id=case.pk,
                provider=rng.choice(PROVIDERS),
                started_on=dates[i],
                ended_on=ended,
            )
        )
        left = ended
        if i > 0:
            rows.outcomes.append(
                bulk.new(
                    OutcomeEvent,
                    case_id=case.pk,
                    kind=OutcomeKind.NEW_PROTECTED_STAY,
                    occurred_on=dates[i],
                )
            )
    rows.left[case.pk] = left
    if case.phase == Phase.CLOSED:
        rows.closed[case.pk] = dates[-1]
    if kind == "returned" and left is not None:
        on = left + datetime.timedelta(days=rng.randint(20, max(21, (today - left).days)))
        rows.outcomes.append(
            bulk.new(
                OutcomeEvent,
                case_id=case.pk,
                kind=OutcomeKind.RETURNED_TO_FAMILY,
                occurred_on=min(on, today),
            )
        )
    if left is not None:
        for outcome, chance in (
            (OutcomeKind.OWN_TENANCY, 0.45),
            (OutcomeKind.STARTED_STUDIES, 0.35),
            (OutcomeKind.STARTED_WORK, 0.25),
            (OutcomeKind.NEW_VIOLENCE, 0.05),
            (OutcomeKind.LOST_CONTACT, 0.04),
        ):
            if rng.random() < chance and left < today:
                on = left + datetime.timedelta(days=rng.randint(1, (today - left).days))
                rows.outcomes.append(
                    bulk.new(OutcomeEvent, case_id=case.pk, kind=outcome, occurred_on=on)
                )
    if case.phase == Phase.CLOSED and rng.random() < 0.2:
        rows.outcomes.append(
            bulk.new(
                OutcomeEvent, case_id=case.pk, kind=OutcomeKind.MOVED_AWAY, occurred_on=dates[-1]
            )
        )
    _risk_history(world, rows, case)


def _risk_history(world: DemoWorld, rows: Rows, case: Case) -> None:
    rng, today = world.rng, case.closed_on or world.today
    instrument = rng.choices(*zip(*INSTRUMENTS, strict=True))[0]
    scenarios = rng.sample(SCENARIOS, rng.randint(1, 3))
    level = rng.choices([2, 1, 0], weights=[50, 35, 15])[0]
    on = case.opened_on
    while True:
        review = on + datetime.timedelta(days=rng.choice([60, 90, 120, 180]))
        rows.risks.append(
            (
                bulk.new(
                    RiskAssessment,
                    case_id=case.pk,
                    instrument=instrument,
                    instrument_other="Checklista FMR (demo)" if instrument == "other" else "",
                    assessed_on=on,
                    next_review_on=review,
                ),
                [(s, LEVELS[max(0, min(2, level + rng.randint(-1, 0)))]) for s in scenarios],
            )
        )
        # About one case in four lets the review slip: it shows as overdue on the to-do list.
        if review > today or rng.random() < 0.25:
            return
        on = min(today, review + datetime.timedelta(days=rng.randint(-7, 14)))
        level = max(0, level - (rng.random() < 0.4))


def _light_history(world: DemoWorld, rows: Rows, case: Case) -> None:
    rng, today = world.rng, case.closed_on or world.today
    ended = None
    if case.phase != Phase.PROTECTED_HOUSING:
        ended = min(today, case.opened_on + datetime.timedelta(days=rng.randint(20, 150)))
    rows.stays.append(
        bulk.new(
            ProtectedHousingStay,
            case_id=case.pk,
            provider=rng.choice(PROVIDERS),
            started_on=case.opened_on,
            ended_on=ended,
        )
    )
    rows.left[case.pk] = ended
    assessed_on = max(case.opened_on, today - datetime.timedelta(days=rng.randint(10, 200)))
    review = assessed_on + datetime.timedelta(days=180)
    rows.risks.append(
        (
            bulk.new(
                RiskAssessment,
                case_id=case.pk,
                instrument=RiskInstrument.PATRIARK,
                assessed_on=assessed_on,
                next_review_on=review,
            ),
            [(rng.choice(SCENARIOS), rng.choice(LEVELS))],
        )
    )


def build(world: DemoWorld) -> None:
    ids = sorted(world.case_ids)
    full = set(ids[:FULL_HISTORIES])
    rows = Rows()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        cases = Case.objects.filter(pk__gte=batch[0], pk__lte=batch[-1]).only(
            "pk", "phase", "opened_on", "closed_on"
        )
        for case in cases.order_by("pk"):
            if case.pk in full:
                _full_history(world, rows, case)
            else:
                _light_history(world, rows, case)
        rows.flush()
