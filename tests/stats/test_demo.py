"""The demo outcome patterns make the curves say something: relapse is more common where
housing support ended with nothing after it, and comes mostly in the first year."""

from __future__ import annotations

import datetime
import random

import pytest
from faker import Faker

from brygga.cases.models import Case, OutcomeEvent, OutcomeKind, ProtectedHousingStay
from brygga.cases.rules import RELAPSE_KINDS
from brygga.lib.demo_world import DemoWorld
from brygga.stats import demo, survival
from brygga.support.models import InterventionStatus
from tests.factories import CaseFactory
from tests.support.conftest import intervention

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
LEFT = datetime.date(2024, 1, 15)


def test_relapse_is_commoner_where_housing_ended_with_nothing_after(cast):
    supported, alone = [], []
    for i in range(240):
        case = CaseFactory(owning_unit=cast.sodermalm, opened_on=datetime.date(2023, 10, 1))
        ProtectedHousingStay.objects.create(case=case, provider="Demo", started_on=case.opened_on,
                                            ended_on=LEFT)  # fmt: skip
        if i % 2:
            intervention(
                case,
                "Boendestöd / boendelots",
                InterventionStatus.ACTIVE,
                period_start=LEFT,
                period_end=LEFT + datetime.timedelta(days=365),
            )
            supported.append(case.pk)
        else:
            alone.append(case.pk)
    world = DemoWorld(rng=random.Random(7), faker=Faker("sv_SE"), today=TODAY, persons=0,
                      progress=False, case_ids=supported + alone)  # fmt: skip

    demo.build(world)

    relapsed = set(
        OutcomeEvent.objects.filter(kind__in=RELAPSE_KINDS).values_list("case_id", flat=True)
    )
    with_support = len(relapsed & set(supported)) / len(supported)
    without = len(relapsed & set(alone)) / len(alone)
    assert 0 < with_support < without
    assert OutcomeEvent.objects.filter(kind=OutcomeKind.RETURNED_TO_FAMILY).exists()
    assert not OutcomeEvent.objects.filter(occurred_on__gt=TODAY).exists()
    assert set(OutcomeEvent.objects.values_list("note", flat=True)) == {demo.NOTE}
    curve = survival.kaplan_meier(
        survival.observations(Case.objects.all(), "relapse", TODAY), "alla"
    )
    twelve = next(h for h in curve.horizons if h.months == 12)
    assert 0.1 < twelve.share < 0.4  # a share returns in the first year


def test_cases_that_already_have_outcomes_are_left_alone(cast):
    case = CaseFactory(owning_unit=cast.sodermalm, opened_on=datetime.date(2023, 10, 1))
    ProtectedHousingStay.objects.create(case=case, provider="Demo", started_on=case.opened_on,
                                        ended_on=LEFT)  # fmt: skip
    OutcomeEvent.objects.create(case=case, kind=OutcomeKind.OWN_TENANCY, occurred_on=TODAY)
    world = DemoWorld(rng=random.Random(1), faker=Faker("sv_SE"), today=TODAY, persons=0,
                      progress=False, case_ids=[case.pk])  # fmt: skip

    demo.build(world)

    assert list(OutcomeEvent.objects.values_list("kind", flat=True)) == [OutcomeKind.OWN_TENANCY]
