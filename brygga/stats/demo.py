"""Demo outcome patterns that make the board's curves say something (fictional, labelled DEMO).

The cases app gives its full histories some relapses; the many other demo cases have none, so
their curves would be flat. For every case that left protected housing and has no outcome yet:
- relapse (mostly a return to the family, some a new protected stay) is far more likely where
  the housing support ended with nothing after it, and comes mostly in the first year;
- the others may get an own lease and start work or studies, later rather than sooner.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery

from brygga.cases.models import Case, OutcomeEvent, OutcomeKind, ProtectedHousingStay
from brygga.lib import bulk
from brygga.lib.demo_world import BATCH, DemoWorld
from brygga.support.areas import NeedArea
from brygga.support.models import CARRYING_STATUSES, Intervention, InterventionStatus

RELAPSE_WITH_HOUSING_AFTER = 0.10
RELAPSE_WITH_NOTHING_AFTER = 0.35
MEAN_DAYS_TO_RELAPSE = 150
NOTE = "Fiktiv händelse (demo)."


def housing_after_exit() -> Exists:
    """A housing intervention still running, or started, on or after the exit day."""
    return Exists(
        Intervention.objects.filter(case=OuterRef("pk"), area=NeedArea.HOUSING)
        .filter(status__in=(*CARRYING_STATUSES, InterventionStatus.ENDED))
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=OuterRef("left_on")))
    )


def _outcomes(rng: random.Random, left: datetime.date, supported: bool, today: datetime.date):
    day = datetime.timedelta(days=1)
    chance = RELAPSE_WITH_HOUSING_AFTER if supported else RELAPSE_WITH_NOTHING_AFTER
    if rng.random() < chance:
        kind = (
            OutcomeKind.RETURNED_TO_FAMILY if rng.random() < 0.7 else OutcomeKind.NEW_PROTECTED_STAY
        )
        on = left + int(rng.expovariate(1 / MEAN_DAYS_TO_RELAPSE) + 1) * day
        if on <= today:
            yield kind, on
            return
    if rng.random() < (0.6 if supported else 0.35):
        on = left + rng.randint(60, 700) * day
        if on <= today:
            yield OutcomeKind.OWN_TENANCY, on
    if rng.random() < 0.55:
        on = left + rng.randint(30, 600) * day
        if on <= today:
            kind = OutcomeKind.STARTED_STUDIES if rng.random() < 0.6 else OutcomeKind.STARTED_WORK
            yield kind, on


def build(world: DemoWorld) -> None:
    if not world.case_ids:
        return
    rng = random.Random(world.rng.random())  # noqa: S311 - synthetic data
    ids = sorted(world.case_ids)
    first_exit = (
        ProtectedHousingStay.objects.filter(case=OuterRef("pk"), ended_on__isnull=False)
        .order_by("ended_on")
        .values("ended_on")[:1]
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        cases = (
            Case.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
            .annotate(left_on=Subquery(first_exit, output_field=DateField()))
            .filter(left_on__isnull=False, left_on__lte=world.today)
            .exclude(Exists(OutcomeEvent.objects.filter(case=OuterRef("pk"))))
            .annotate(supported=housing_after_exit())
            .values_list("pk", "left_on", "supported", F("closed_on"))
            .order_by("pk")
        )
        rows = []
        for case_id, left, supported, closed in cases:
            last = min(world.today, closed) if closed else world.today
            for kind, on in _outcomes(rng, left, supported, last):
                rows.append(
                    bulk.new(OutcomeEvent, case_id=case_id, kind=kind, occurred_on=on, note=NOTE)
                )
        bulk.insert(OutcomeEvent, rows)
