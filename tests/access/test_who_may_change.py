"""Who on a case may change it and who may change its team: the responsible worker and the unit
manager set the team; a co-worker on the team edits but does not set the team; housing support
and coordinators only read; nobody outside the owning unit's management does either."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.cases.models import CaseTeamMember, TeamRole
from brygga.organisation.models import Membership, Role
from tests.conftest import signed_in
from tests.factories import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_worker(cast):
    """A worker of the unit, on the case's team, but not the responsible one."""
    user = staff_member(Role.WORKER, cast.sodermalm)
    CaseTeamMember.objects.create(case=cast.case, user=user, role=TeamRole.WORKER)
    return user


def team_url(cast):
    return reverse("case_team", args=[cast.case.pk])


def test_the_responsible_worker_changes_the_team(cast):
    client = signed_in(cast.case_worker)
    assert client.get(team_url(cast)).status_code == 200
    response = client.post(
        team_url(cast), {"responsible": cast.case_worker.pk, "members": [cast.colleague.pk]}
    )
    assert response.status_code == 302
    assert cast.case.team_members.filter(user=cast.colleague).exists()


def test_a_co_worker_on_the_team_may_not_change_the_team(cast, co_worker):
    client = signed_in(co_worker)
    # The co-worker sees the case ...
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    # ... but the team page is not theirs, and a forged post changes nothing.
    assert client.get(team_url(cast)).status_code == 404
    client.post(team_url(cast), {"responsible": co_worker.pk})
    responsible = cast.case.team_members.get(role=TeamRole.RESPONSIBLE)
    assert responsible.user == cast.case_worker


def test_a_co_worker_on_the_team_may_edit_the_person(cast, co_worker):
    response = signed_in(co_worker).get(reverse("edit_person", args=[cast.case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["housing_support", "coordinator"])
def test_readers_on_the_team_see_the_case_but_may_not_edit_it(cast, persona):
    if persona == "coordinator":
        user = staff_member(Role.CONTACT_COORDINATOR, cast.sodermalm)
        CaseTeamMember.objects.create(case=cast.case, user=user, role=TeamRole.CONTACT_COORDINATOR)
    else:
        user = cast.housing_support
    client = signed_in(user)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(reverse("edit_person", args=[cast.case.pk])).status_code == 404
    assert client.get(team_url(cast)).status_code == 404


def test_a_manager_of_another_unit_neither_edits_nor_sets_the_team(cast):
    client = signed_in(cast.other_district_manager)
    assert client.get(reverse("edit_person", args=[cast.case.pk])).status_code == 404
    assert client.get(team_url(cast)).status_code == 404
    # The same manager sets the team of a case in their own unit.
    Membership.objects.create(
        user=cast.other_district_manager, role=Role.MANAGER, unit=cast.sodermalm
    )
    assert signed_in(cast.other_district_manager).get(team_url(cast)).status_code == 200


def test_a_worker_may_open_cases_only_in_units_where_they_work_or_manage(cast):
    assert signed_in(cast.case_worker).get(reverse("open_case")).status_code == 200
    assert signed_in(cast.housing_support).get(reverse("open_case")).status_code == 404
    assert signed_in(cast.administrator).get(reverse("open_case")).status_code == 404
