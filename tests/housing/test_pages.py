"""The waiting list, occupancy and inventory pages: figures, signals and constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.housing.models import FlatKind, WaitingEntry, WaitingNorm
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.housing.conftest import DAY, allocated, flat, today

pytestmark = pytest.mark.django_db


def wait(case, unit, days, kind=FlatKind.EMERGENCY):
    return WaitingEntry.objects.create(
        case=case, district=unit.administration, kind=kind, since=today() - days * DAY
    )


def test_the_waiting_list_shows_waiting_time_and_flags_a_wait_over_the_norm(cast):
    WaitingNorm.objects.create(district=cast.sodermalm.administration, kind="emergency", days=14)
    wait(cast.case, cast.sodermalm, 20)
    other = case_with_team(cast.sodermalm, cast.colleague)
    wait(other, cast.sodermalm, 3)
    body = signed_in(cast.case_worker).get(reverse("housing:waiting_list")).content.decode()
    assert "20 dagar" in body and "3 dagar" in body
    assert body.count("över normen (14 dagar)") == 1
    assert cast.case.person.full_name in body
    # Not the worker's case: shown as a case number only.
    assert other.person.full_name not in body and str(other) in body


def test_the_case_page_lets_the_worker_put_her_in_the_queue(cast):
    client = signed_in(cast.case_worker)
    url = reverse("housing:wait_new", args=[cast.case.pk])
    data = {
        "kind": "emergency",
        "district": cast.sodermalm.administration_id,
        "since": today().isoformat(),
        "priority": 1,
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "står redan i kön" in again.content.decode()
    assert WaitingEntry.objects.filter(case=cast.case).count() == 1


def test_the_occupancy_page_shows_the_share_occupied_and_an_svg_with_plain_numbers(cast):
    home = flat(cast.sodermalm, available_from=today() - 800 * DAY)
    allocated(home, cast.case, today() - 800 * DAY)
    body = signed_in(cast.case_worker).get(reverse("housing:occupancy")).content.decode()
    assert "100 %" in body
    svg = re.search(r"<svg class=\"occupancy-chart\".*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and "<rect" in svg
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|dy|width|height)="([^"]+)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers)


def _grow(cast, n):
    for _ in range(n):
        case = case_with_team(cast.sodermalm, cast.case_worker)
        home = flat(cast.sodermalm)
        allocated(home, case, today() - 40 * DAY, ended_on=today() - 20 * DAY, moved_to="unknown")
        allocated(home, case, today() - 10 * DAY)
        wait(case, cast.sodermalm, 30)


@pytest.mark.parametrize("page", ["inventory", "waiting_list", "occupancy"])
def test_the_housing_pages_run_a_constant_number_of_queries(
    cast, page, django_assert_max_num_queries
):
    client = signed_in(cast.case_worker)
    _grow(cast, 2)
    client.get(reverse(f"housing:{page}"))
    with django_assert_max_num_queries(16):
        small = client.get(reverse(f"housing:{page}"))
    _grow(cast, 8)
    with django_assert_max_num_queries(16):
        large = client.get(reverse(f"housing:{page}"))
    assert small.status_code == large.status_code == 200


def test_the_case_page_with_housing_runs_the_same_queries_however_many_flats(cast):
    client = signed_in(cast.case_worker)
    url = reverse("case_detail", args=[cast.case.pk])
    past = dict(ended_on=today() - 200 * DAY, moved_to="unknown")
    allocated(flat(cast.sodermalm), cast.case, today() - 300 * DAY, **past)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        allocated(flat(cast.sodermalm), cast.case, today() - 300 * DAY, **past)
    for kind in ("training", "other", "transitional"):
        wait(cast.case, cast.sodermalm, 5, kind=kind)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
