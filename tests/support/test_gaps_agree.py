"""The SQL form of the responsibility-gap rule agrees with the pure rule on generated cases:
assessed needs and core needs never assessed, carried or not (decision 0032)."""

from __future__ import annotations

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Case
from brygga.support import queries, rules
from brygga.support.areas import NeedArea
from brygga.support.models import (
    ActorKind,
    Assessment,
    AssessmentRound,
    Intervention,
    InterventionType,
    Task,
)
from tests.factories import case_with_team

TODAY = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
AREAS = [area.value for area in NeedArea]

case_data = st.fixed_dictionaries(
    {
        "phase": st.sampled_from(["protected_housing", "moving_out", "establishing", "closed"]),
        # (area, days ago, level); several on one day are one round each, later round wins
        "levels": st.lists(
            st.tuples(st.sampled_from(AREAS), st.integers(0, 3), st.integers(1, 5)), max_size=5
        ),
        # (area, status, end offset or open-ended)
        "interventions": st.lists(
            st.tuples(
                st.sampled_from(AREAS),
                st.sampled_from(["planned", "granted", "active", "ended", "refused"]),
                st.none() | st.integers(-3, 3),
            ),
            max_size=3,
        ),
        # (area, owner: none / staff / outside organisation, done)
        "tasks": st.lists(
            st.tuples(
                st.sampled_from(AREAS),
                st.sampled_from(["", "staff", "organisation"]),
                st.booleans(),
            ),
            max_size=3,
        ),
    }
)


def build(data, cast, types) -> Case:
    case = case_with_team(cast.sodermalm, cast.case_worker)
    Case.objects.filter(pk=case.pk).update(phase=data["phase"])
    for area, days_ago, level in data["levels"]:
        on = TODAY - days_ago * DAY
        round_ = AssessmentRound.objects.create(case=case, assessed_on=on)
        Assessment.objects.create(
            round=round_, case=case, assessed_on=on, area=area, worker_level=level
        )
    for area, status, end in data["interventions"]:
        Intervention.objects.create(
            case=case,
            type=types[area],
            area=area,
            status=status,
            period_end=TODAY + end * DAY if end is not None else None,
        )
    for area, owner, done in data["tasks"]:
        shape = {
            "": {},
            "staff": {"actor_kind": ActorKind.STAFF, "actor_user": cast.housing_support},
            "organisation": {
                "actor_kind": ActorKind.ORGANISATION,
                "actor_organisation": "Jobbtorg",
            },
        }[owner]
        Task.objects.create(
            case=case,
            area=area,
            title="Uppgift",
            done_at="2026-05-01T00:00:00Z" if done else None,
            **shape,
        )
    return Case.objects.get(pk=case.pk)


def pure_gaps(case: Case) -> list[str]:
    return rules.responsibility_gaps(
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
        today=TODAY,
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(case_data, min_size=1, max_size=3))
def test_the_sql_gaps_agree_with_the_gap_rule(cast, cases):
    types = {
        area: InterventionType.objects.get_or_create(
            name=f"Insats (test, {area})", defaults={"area": area}
        )[0]
        for area in AREAS
    }
    with transaction.atomic():
        built = [build(data, cast, types) for data in cases]
        expected = {case.pk: sorted(gaps) for case in built if (gaps := pure_gaps(case))}
        scope = Case.objects.filter(pk__in=[c.pk for c in built])
        by_case = queries.gaps_by_case(scope, TODAY)
        listed, total = queries.gap_list(scope, TODAY)
        with_gaps = set(
            scope.filter(queries.cases_with_gaps(scope, TODAY)).values_list("pk", flat=True)
        )
        transaction.set_rollback(True)
    assert {pk: sorted(areas) for pk, areas in by_case.items()} == expected
    assert sorted((g.case.pk, g.area) for g in listed) == sorted(
        (pk, area) for pk, areas in expected.items() for area in areas
    )
    assert total == sum(len(areas) for areas in expected.values())
    assert with_gaps == set(expected)
    # A level is shown for an assessed gap, "inte bedömt" (None) only for a core need.
    assert all(g.level is not None or g.area in {"housing", "occupation", "social"} for g in listed)
