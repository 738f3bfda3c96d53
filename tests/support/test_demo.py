"""The demo data shows the support model: histories, gaps, decisions about to end."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from faker import Faker

from brygga.cases.models import Case
from brygga.lib.demo_world import DemoWorld
from brygga.support import demo, queries
from brygga.support.models import Assessment, FollowUp, Intervention, Task
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db


def test_the_demo_data_has_support_histories_gaps_and_decisions_about_to_end():
    today = datetime.date(2026, 6, 1)
    call_command("seed_demo", persons=150, seed=3, today=today)
    cases = Case.objects.all()
    assert Assessment.objects.values("case").distinct().count() == cases.count()
    assert Assessment.objects.values("assessed_on", "case").distinct().count() > cases.count()
    assert Task.objects.exists()
    assert FollowUp.objects.filter(held_on__isnull=False).exists()
    assert Intervention.objects.exists()
    assert queries.gap_rows(cases, today).exists()
    assert queries.ending_decisions(cases, today).exists()


def _build_queries(cast, n):
    ids = [case_with_team(cast.sodermalm, cast.case_worker).pk for _ in range(n)]
    world = DemoWorld(
        rng=random.Random(1),
        faker=Faker("sv_SE"),
        today=datetime.date(2026, 6, 1),
        persons=n,
        progress=False,
        case_ids=ids,
    )
    with CaptureQueriesContext(connection) as ctx:
        demo.build(world)
    return len(ctx.captured_queries)


def test_the_support_demo_builder_never_queries_per_case(cast):
    # Bulk inserts split into batches by row count, so only bound the growth: far below 1/case.
    assert _build_queries(cast, 60) < 30
