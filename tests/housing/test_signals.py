"""Waiting longer than the district's norm is an early-warning signal on the worker's list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.housing.models import WaitingEntry, WaitingNorm
from brygga.support.signals import signals_for_cases
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.housing.conftest import DAY, today

pytestmark = pytest.mark.django_db
WHY = "Har väntat på jourlägenhet i 20 dagar, längre än stadsdelens norm (14 dagar)."


def wait(case, days, kind="emergency"):
    return WaitingEntry.objects.create(
        case=case,
        district=case.owning_unit.administration,
        kind=kind,
        since=today() - days * DAY,
    )


def housing_signals(case_ids):
    found = signals_for_cases(case_ids, today())
    return {
        case_id: [s for s in found_ if s.kind == "housing_wait_over_norm"]
        for case_id, found_ in found.items()
    }


def test_a_wait_over_the_norm_is_a_warning_with_why(cast):
    WaitingNorm.objects.create(district=cast.sodermalm.administration, kind="emergency", days=14)
    wait(cast.case, 20)
    [signal] = housing_signals([cast.case.pk])[cast.case.pk]
    assert signal.severity == 2
    assert signal.explanation == WHY
    assert signal.since == today() - 5 * DAY


def test_a_wait_within_the_norm_or_ended_gives_no_signal(cast):
    WaitingNorm.objects.create(district=cast.sodermalm.administration, kind="emergency", days=14)
    wait(cast.case, 10)
    other = case_with_team(cast.sodermalm, cast.case_worker)
    wait(other, 100)
    WaitingEntry.objects.filter(case=other).update(left_on=today())
    assert housing_signals([cast.case.pk, other.pk]) == {}
    # Without a norm of its own the district's default of 60 days applies.
    late = case_with_team(cast.sodermalm, cast.case_worker)
    wait(late, 61, kind="transitional")
    assert len(housing_signals([late.pk])[late.pk]) == 1


def test_the_signal_is_on_the_workers_start_page(cast):
    WaitingNorm.objects.create(district=cast.sodermalm.administration, kind="emergency", days=14)
    wait(cast.case, 20)
    text = signed_in(cast.case_worker).get(reverse("start")).content.decode()
    assert cast.case.person.full_name in text and WHY in text


def test_the_source_runs_one_query_however_many_cases(cast):
    from brygga.housing.signals import housing_wait_signals

    cases = [case_with_team(cast.sodermalm, cast.case_worker) for _ in range(6)]
    for case in cases:
        wait(case, 90)
    with CaptureQueriesContext(connection) as queries:
        found = list(housing_wait_signals([c.pk for c in cases], today()))
    assert len(found) == 6 and len(queries.captured_queries) == 1
