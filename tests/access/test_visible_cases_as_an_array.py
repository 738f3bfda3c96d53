"""`visible_cases` asks for the team and emergency cases as an array (`= ANY(ARRAY(...))` on
PostgreSQL, decision 0121): the same cases as the `IN (...)` it replaced, for every persona."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brygga.access.models import EmergencyAccess
from brygga.access.policy import CASEWORK_ROLES, visible_cases
from brygga.cases.models import Case, CaseTeamMember
from brygga.organisation.models import Role
from brygga.organisation.roles import has_role, unit_ids_with_role
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db

PERSONAS = [
    "case_worker",
    "unit_manager",
    "housing_support",
    "colleague",
    "other_district_worker",
    "other_district_manager",
    "administrator",
]


def the_old_way(user):
    """`visible_cases` as it was written before: `pk IN (team UNION emergency) OR unit IN`."""
    if not has_role(user, *CASEWORK_ROLES):
        return set()
    units = unit_ids_with_role(user, *CASEWORK_ROLES)
    on_team = CaseTeamMember.objects.filter(user_id=user.pk, case__owning_unit_id__in=units).values(
        "case_id"
    )
    emergency = EmergencyAccess.objects.filter(
        user_id=user.pk, expires_at__gt=timezone.now()
    ).values("case_id")
    managed = unit_ids_with_role(user, Role.MANAGER)
    return set(
        Case.objects.filter(
            Q(pk__in=on_team.union(emergency)) | Q(owning_unit_id__in=managed)
        ).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_the_same_cases_as_with_the_in_list(cast, persona):
    case_with_team(cast.sodermalm, cast.colleague)
    case_with_team(cast.rinkeby, cast.other_district_worker)
    EmergencyAccess.objects.create(
        case=cast.case,
        user=cast.other_district_worker,
        reason="Akut läge i helgen",
        expires_at=timezone.now() + datetime.timedelta(hours=2),
    )
    user = getattr(cast, persona)
    found = set(visible_cases(user).values_list("pk", flat=True))
    assert found == the_old_way(user)
    if persona in ("case_worker", "unit_manager", "other_district_worker"):
        assert cast.case.pk in found  # a positive marker: the comparison is not of two empties


def test_on_postgresql_the_team_cases_are_an_array(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the array form is PostgreSQL's")
    with CaptureQueriesContext(connection) as captured:
        list(visible_cases(cast.unit_manager))
    assert "= ANY(ARRAY(" in captured.captured_queries[-1]["sql"]
