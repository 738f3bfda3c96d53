"""The to-do list on the start page, the manager's overview and the SQL form of the gap rule."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.cases.models import Case, Phase
from brygga.support import queries, rules
from brygga.support.models import Assessment, Intervention, InterventionStatus, Task
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, follow_up, intervention, task, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def fill(case, worker):
    """One of everything the to-do list shows."""
    assess(case, today() - 10 * DAY, housing=2)
    follow_up(case, today() - 5 * DAY, months=1)
    intervention(
        case,
        "Kontaktperson",
        InterventionStatus.GRANTED,
        period_start=today() - 300 * DAY,
        period_end=today() + 10 * DAY,
    )
    task(case, "occupation", actor_kind="staff", actor_user=worker, due_on=today() - DAY)


def test_the_start_page_lists_what_the_worker_must_do(cast):
    fill(cast.case, cast.case_worker)
    response = signed_in(cast.case_worker).get(reverse("start"))
    text = response.text
    assert "Att göra" in text
    assert "Ansvarsglapp" in text
    assert "Uppföljningar att hålla" in text
    assert "Beslut som slutar inom 30 dagar" in text
    assert "Beslut utan fortsättning" in text
    assert "Mitt arbete" in text
    assert cast.case.person.last_name in text


def test_a_worker_from_another_district_sees_nothing_of_the_case_in_the_to_do_list(cast):
    fill(cast.case, cast.case_worker)
    response = signed_in(cast.other_district_worker).get(reverse("start"))
    assert "Att göra" not in response.text
    assert cast.case.person.full_name not in response.text


def test_a_colleague_not_on_the_case_sees_nothing_of_it(cast):
    fill(cast.case, cast.colleague)
    response = signed_in(cast.colleague).get(reverse("start"))
    assert cast.case.person.full_name not in response.text


def test_the_administrator_gets_no_to_do_list(cast):
    fill(cast.case, cast.case_worker)
    response = signed_in(cast.administrator).get(reverse("start"))
    assert response.status_code == 200
    assert "Att göra" not in response.text


def test_risk_reviews_due_appear_on_the_to_do_list(cast):
    from brygga.cases.models import RiskAssessment

    RiskAssessment.objects.create(
        case=cast.case,
        instrument="patriark",
        assessed_on=today() - 100 * DAY,
        next_review_on=today() - DAY,
    )
    response = signed_in(cast.case_worker).get(reverse("start"))
    assert "Riskbedömningar att ompröva" in response.text


def test_the_manager_sees_decisions_awaiting_them(cast):
    intervention(
        cast.case, "Jourlägenhet", InterventionStatus.AWAITING_MANAGER, requested_status="granted"
    )
    response = signed_in(cast.unit_manager).get(reverse("start"))
    assert "Beslut som väntar på dig" in response.text


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_start_page_with_the_to_do_list_runs_a_constant_number_of_queries(cast):
    client = signed_in(cast.case_worker)
    fill(cast.case, cast.case_worker)
    small = _count(client, reverse("start"))
    for _ in range(5):
        fill(case_with_team(cast.sodermalm, cast.case_worker), cast.case_worker)
    assert _count(client, reverse("start")) == small


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("unit_manager", 200),
        ("other_district_manager", 200),
        ("case_worker", 404),
        ("administrator", 404),
    ],
)
def test_the_overview_is_for_unit_managers(cast, persona, status):
    assert signed_in(getattr(cast, persona)).get(reverse("support:overview")).status_code == status


def test_the_overview_counts_core_needs_never_assessed_as_gaps(cast):
    response = signed_in(cast.unit_manager).get(reverse("support:overview"))
    [overview] = response.context["overviews"]
    assert overview.open_cases == 1
    assert overview.gaps == 3  # a new case: housing, occupation and social support


def test_the_start_page_shows_a_new_cases_core_needs_as_not_assessed(cast):
    assess(cast.case, today(), housing=2, occupation=5)
    response = signed_in(cast.case_worker).get(reverse("start"))
    gaps = {(g.case_id, g.area, g.level) for g in response.context["todo"].gaps}
    assert gaps == {(cast.case.pk, "housing", 2), (cast.case.pk, "social", None)}
    assert "Socialt stöd</strong> – inte bedömt, ingen ansvarig" in response.text
    assert "Boende</strong> – nivå 2, ingen ansvarig" in response.text


def test_the_overview_counts_the_units_cases_gaps_and_workload(cast):
    fill(cast.case, cast.case_worker)
    response = signed_in(cast.unit_manager).get(reverse("support:overview"))
    [overview] = response.context["overviews"]
    assert overview.open_cases == 1
    # Housing at level 2 carried by nobody. Occupation and social support were never assessed,
    # but the worker's open task carries one and the granted contact person the other.
    assert overview.gaps == 1
    assert overview.overdue_follow_ups == 1
    assert overview.ending == 1
    assert overview.workload == [(cast.case_worker.pk, cast.case_worker.get_full_name(), 1)]


def test_another_districts_manager_sees_nothing_of_this_unit(cast):
    fill(cast.case, cast.case_worker)
    response = signed_in(cast.other_district_manager).get(reverse("support:overview"))
    assert cast.case.person.full_name not in response.text
    assert all(o.open_cases == 0 for o in response.context["overviews"])


def test_the_overview_runs_a_constant_number_of_queries(cast):
    client = signed_in(cast.unit_manager)
    fill(cast.case, cast.case_worker)
    small = _count(client, reverse("support:overview"))
    for _ in range(5):
        fill(case_with_team(cast.sodermalm, cast.colleague), cast.colleague)
    assert _count(client, reverse("support:overview")) == small


SCENARIOS = [
    # phase, levels by area, interventions (type, status, end offset), tasks (area, org, done)
    ("establishing", {"housing": 2}, [], []),
    ("closed", {"housing": 1}, [], []),
    ("moving_out", {"housing": 1}, [("Jourlägenhet", "refused", None)], []),
    ("moving_out", {"housing": 1}, [("Jourlägenhet", "granted", None)], []),
    ("moving_out", {"housing": 1}, [("Jourlägenhet", "active", -5)], []),
    ("establishing", {"occupation": 3}, [], [("occupation", "Jobbtorg", False)]),
    ("establishing", {"occupation": 3}, [], [("occupation", "", False)]),
    ("establishing", {"occupation": 3}, [], [("occupation", "Jobbtorg", True)]),
    ("own_feet", {"social": 4, "safety": 5}, [], []),
    # Core needs never assessed: gaps from the opening, unless someone carries them.
    ("protected_housing", {}, [], []),
    ("closed", {}, [], []),
    ("protected_housing", {}, [("Jourlägenhet", "granted", None)], [("social", "", False)]),
    ("moving_out", {"safety": 1}, [], [("occupation", "Jobbtorg", False)]),
    ("moving_out", {}, [("Jourlägenhet", "active", -5)], [("social", "Jobbtorg", True)]),
]


@pytest.mark.parametrize(("phase", "levels", "items", "tasks"), SCENARIOS)
def test_the_sql_gap_query_agrees_with_the_gap_rule(cast, phase, levels, items, tasks):
    case = cast.case
    Case.objects.filter(pk=case.pk).update(phase=phase)
    case.refresh_from_db()
    assess(case, today() - 100 * DAY, **{area: 5 for area in levels})
    assess(case, today() - 10 * DAY, **levels)
    for name, status, offset in items:
        intervention(
            case,
            name,
            status,
            period_start=today() - 200 * DAY if offset is not None else None,
            period_end=today() + offset * DAY if offset is not None else None,
        )
    for area, org, done in tasks:
        task(case, area, organisation=org)
        if done:
            # Saved one by one, as the app does: the precomputed case state follows each save.
            for done_task in Task.objects.filter(case=case):
                done_task.done_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
                done_task.save(update_fields=["done_at"])
    pure = rules.responsibility_gaps(
        phase=case.phase,
        latest=rules.latest_levels(
            rules.AssessmentFact(a.area, a.assessed_on, a.worker_level, a.round_id)
            for a in Assessment.objects.filter(case=case)
        ),
        interventions=[
            rules.InterventionFact(i.area, i.status, i.period_end)
            for i in Intervention.objects.filter(case=case)
        ],
        tasks=[
            rules.TaskFact(t.area, t.has_actor, t.is_done) for t in Task.objects.filter(case=case)
        ],
        today=today(),
    )
    sql = queries.gaps_by_case(Case.objects.filter(pk=case.pk), today()).get(case.pk, [])
    assert sorted(sql) == sorted(pure)
    if phase == Phase.CLOSED:
        assert sql == []
