"""The demo histories are consistent with the cases they belong to."""

from __future__ import annotations

import datetime
import random

import pytest
from faker import Faker

from brygga.cases import demo as cases_demo
from brygga.cases.models import Case, Phase, ProtectedHousingStay
from brygga.cases.rules import RELAPSE_KINDS, left_protected_housing_on, risk_reviews_due
from brygga.demo.builders import build_organisation, build_people_and_cases
from brygga.journal import demo as journal_demo
from brygga.journal.models import JournalNote
from brygga.lib.demo_world import DemoWorld

TODAY = datetime.date(2026, 11, 1)


@pytest.fixture
def world(db):
    world = DemoWorld(
        rng=random.Random(7), faker=Faker("sv_SE"), today=TODAY, persons=300, progress=False
    )
    build_organisation(world)
    build_people_and_cases(world)
    cases_demo.build(world)
    journal_demo.build(world)
    return world


def test_every_demo_case_ends_its_phase_history_in_its_current_phase(world):
    for case in Case.objects.prefetch_related("phase_changes"):
        changes = sorted(case.phase_changes.all(), key=lambda c: (c.entered_on, c.pk))
        assert changes[-1].phase == case.phase
        assert changes[0].entered_on == case.opened_on
        assert all(c.entered_on <= TODAY for c in changes)
        if case.phase == Phase.CLOSED:
            assert case.closed_on == changes[-1].entered_on
        else:
            assert case.closed_on is None


def test_the_day_each_demo_person_left_protected_housing_matches_their_stays(world):
    stays: dict[int, list] = {}
    for case_id, start, end in ProtectedHousingStay.objects.values_list(
        "case_id", "started_on", "ended_on"
    ):
        stays.setdefault(case_id, []).append((start, end))
    for case in Case.objects.all():
        assert case.left_protected_housing_on == left_protected_housing_on(stays[case.pk])


def test_the_demo_shows_relapses_overdue_reviews_and_a_corrected_note(world):
    old_cases = Case.objects.filter(opened_on__lt=TODAY - datetime.timedelta(days=365))
    relapsed = old_cases.filter(outcomes__kind__in=RELAPSE_KINDS).distinct().count()
    assert 0.1 * old_cases.count() <= relapsed <= 0.35 * old_cases.count()
    assert risk_reviews_due(Case.objects.all(), TODAY).exists()
    assert JournalNote.objects.exclude(corrects=None).exists()
    assert JournalNote.objects.filter(signed_at=None).exists()
