"""The to-do lists that now read the precomputed case state (decision 0120, issue 11) list the
same rows as the record-based queries they replaced, on generated cases."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.access import policy
from brygga.cases.models import Case, RiskAssessment
from brygga.support import queries, rules
from brygga.support.models import FollowUp, InterventionType
from tests.support.test_signals import TODAY, build, case_data

pytestmark = pytest.mark.django_db
HORIZON = TODAY + datetime.timedelta(days=rules.FOLLOW_UP_DUE_DAYS)


def follow_ups_from_the_records(cases):
    return FollowUp.objects.filter(
        case__in=queries.open_cases(cases).values("pk"),
        held_on__isnull=True,
        planned_on__lte=HORIZON,
    )


def risk_reviews_from_the_records(cases):
    newer = RiskAssessment.objects.filter(case=OuterRef("case")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return RiskAssessment.objects.filter(
        case__in=queries.open_cases(cases).values("pk"), next_review_on__lte=HORIZON
    ).exclude(Exists(newer))


def unassessed_from_the_records(cases):
    return queries.open_cases(cases).exclude(
        Exists(RiskAssessment.objects.filter(case=OuterRef("pk")))
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(case_data, min_size=1, max_size=4))
def test_the_state_based_lists_agree_with_the_records(cast, cases):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    with transaction.atomic():
        for data in cases:
            build(data, cast.sodermalm, cast.case_worker, kind)
        for user in (cast.case_worker, cast.unit_manager):
            visible = policy.visible_cases(user)
            todo = queries.todo_for(user, visible, TODAY, policy.managed_unit_ids(user))
            due = list(follow_ups_from_the_records(visible).order_by("planned_on", "pk")[:50])
            assert todo.follow_ups == due
            reviews = list(risk_reviews_from_the_records(visible).order_by("next_review_on", "pk"))
            assert todo.risk_reviews == reviews[:50]
            assert todo.totals["risk_reviews"] == len(reviews)
            unassessed = list(unassessed_from_the_records(visible).order_by("opened_on", "pk"))
            assert todo.without_risk_assessment == unassessed[:50]
        transaction.set_rollback(True)


def test_a_case_with_a_risk_review_due_is_on_the_list_and_one_reviewed_later_is_not(cast):
    RiskAssessment.objects.create(
        case=cast.case, instrument="freda", assessed_on=TODAY, next_review_on=TODAY
    )
    visible = policy.visible_cases(cast.case_worker)
    todo = queries.todo_for(cast.case_worker, visible, TODAY, set())
    assert [r.case_id for r in todo.risk_reviews] == [cast.case.pk]
    assert cast.case not in todo.without_risk_assessment
    RiskAssessment.objects.create(
        case=cast.case,
        instrument="freda",
        assessed_on=TODAY,
        next_review_on=TODAY + datetime.timedelta(days=200),
    )
    todo = queries.todo_for(cast.case_worker, visible, TODAY, set())
    assert todo.risk_reviews == []
    assert Case.objects.filter(pk=cast.case.pk, state__risk_review_on__gt=HORIZON).exists()
