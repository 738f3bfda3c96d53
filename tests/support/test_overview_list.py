"""The manager's overview lists the unit's cases: filtered, sorted, paginated, counts as links."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.cases.models import Phase
from brygga.support.case_list import CASES_PER_PAGE
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, follow_up, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
OVERVIEW = reverse("support:overview")


def names(response):
    return [c.person.full_name for c in response.context["listing"].page.object_list]


def test_the_overview_lists_the_units_cases_with_a_heading_and_a_count(cast):
    response = signed_in(cast.unit_manager).get(OVERVIEW)
    assert "Enhetens ärenden" in response.text
    assert "Visar 1–1 av 1 ärenden." in response.text
    assert names(response) == [cast.case.person.full_name]


def test_the_phase_table_is_in_lifecycle_order_and_each_count_links_to_its_cases(cast):
    case_with_team(cast.sodermalm, cast.colleague, phase=Phase.ESTABLISHING)
    response = signed_in(cast.unit_manager).get(OVERVIEW)
    [overview] = response.context["overviews"]
    assert [value for value, _label, _n in overview.by_phase] == [p.value for p in Phase]
    assert f'href="{OVERVIEW}?fas=establishing#case-list-title"' in response.text
    filtered = signed_in(cast.unit_manager).get(OVERVIEW, {"fas": "establishing"})
    assert len(names(filtered)) == 1
    assert cast.case.person.full_name not in names(filtered)


def test_the_list_filters_by_responsible_worker(cast):
    theirs = case_with_team(cast.sodermalm, cast.colleague)
    client = signed_in(cast.unit_manager)
    response = client.get(OVERVIEW, {"handlaggare": cast.colleague.pk})
    assert names(response) == [theirs.person.full_name]
    assert f"handlaggare={cast.colleague.pk}" in client.get(OVERVIEW).text  # workload links


def test_the_list_filters_by_gap_and_by_signal(cast):
    other = case_with_team(cast.sodermalm, cast.colleague)
    assess(cast.case, today() - 10 * DAY, housing=2)  # a gap
    assess(other, today() - 10 * DAY, housing=4, occupation=4, social=5)  # none
    follow_up(other, today() - 5 * DAY, months=1)  # an overdue follow-up
    client = signed_in(cast.unit_manager)
    assert names(client.get(OVERVIEW, {"glapp": "on"})) == [cast.case.person.full_name]
    overdue = client.get(OVERVIEW, {"signal": "forsenad-uppfoljning"})
    assert names(overdue) == [other.person.full_name]
    no_risk = client.get(OVERVIEW, {"signal": "ingen-riskbedomning"})
    assert len(names(no_risk)) == 2


def test_the_list_is_sortable_by_most_recently_opened(cast):
    newer = case_with_team(cast.sodermalm, cast.colleague, opened_on=today())
    cast.case.opened_on = today() - 100 * DAY
    cast.case.save(update_fields=["opened_on"])
    response = signed_in(cast.unit_manager).get(OVERVIEW, {"sortera": "oppnat"})
    assert names(response) == [newer.person.full_name, cast.case.person.full_name]


def test_an_unknown_filter_value_gives_a_message_not_an_error(cast):
    response = signed_in(cast.unit_manager).get(OVERVIEW, {"fas": "x", "handlaggare": "abc"})
    assert response.status_code == 200
    assert "Välj en fas i listan." in response.text
    assert names(response) == [cast.case.person.full_name]  # the list, unfiltered


def test_a_unit_with_many_cases_shows_one_page_at_a_time(cast):
    for _ in range(CASES_PER_PAGE + 3):
        case_with_team(cast.sodermalm, cast.colleague)
    client = signed_in(cast.unit_manager)
    first = client.get(OVERVIEW)
    assert len(names(first)) == CASES_PER_PAGE
    assert f"Visar 1–{CASES_PER_PAGE} av {CASES_PER_PAGE + 4} ärenden." in first.text
    second = client.get(OVERVIEW, {"sida": 2, "sortera": "namn"})
    assert len(names(second)) == 4
    assert "sortera=namn&amp;sida=1" in second.text


def test_another_districts_manager_lists_none_of_this_units_cases(cast):
    response = signed_in(cast.other_district_manager).get(OVERVIEW)
    assert "Enhetens ärenden" in response.text
    assert cast.case.person.full_name not in response.text


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(OVERVIEW, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"glapp": "on", "sortera": "fas"}, {"signal": "beslut-slutar", "sida": "2"}]
)
def test_the_filtered_list_runs_a_constant_number_of_queries(cast, params):
    client = signed_in(cast.unit_manager)
    assess(cast.case, today(), housing=2)
    small = _count(client, params)
    for _ in range(CASES_PER_PAGE + 5):
        case = case_with_team(cast.sodermalm, cast.colleague)
        assess(case, today(), housing=2)
        follow_up(case, today() - 3 * DAY)
    assert _count(client, params) == small
