import pytest
from django.urls import reverse

from brygga.access.policy import visible_cases
from brygga.cases.models import TeamRole
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_unit_manager_hands_the_case_to_a_colleague(cast):
    url = reverse("case_team", args=[cast.case.pk])
    response = signed_in(cast.unit_manager).post(
        url, {"responsible": cast.colleague.pk, "members": [cast.housing_support.pk]}
    )
    assert response.status_code == 302
    roles = {m.user: m.role for m in cast.case.team_members.all()}
    assert roles == {
        cast.colleague: TeamRole.RESPONSIBLE,
        cast.housing_support: TeamRole.HOUSING_SUPPORT,
    }
    assert cast.case in visible_cases(cast.colleague)
    assert cast.case not in visible_cases(cast.case_worker)


def test_a_worker_from_another_district_cannot_be_made_responsible(cast):
    url = reverse("case_team", args=[cast.case.pk])
    response = signed_in(cast.unit_manager).post(
        url, {"responsible": cast.other_district_worker.pk}
    )
    assert response.status_code == 200
    assert cast.case not in visible_cases(cast.other_district_worker)


def test_housing_support_may_not_change_the_team(cast):
    url = reverse("case_team", args=[cast.case.pk])
    assert signed_in(cast.housing_support).get(url).status_code == 404


def test_a_team_change_records_who_gained_and_lost_access(cast):
    from brygga.audit.models import Action, AuditEvent

    url = reverse("case_team", args=[cast.case.pk])
    signed_in(cast.unit_manager).post(url, {"responsible": cast.colleague.pk})
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(cast.case.pk))
    changes = event.detail["team_changes"]
    assert {"user": cast.colleague.pk, "added": "responsible"} in changes
    assert {"user": cast.case_worker.pk, "removed": "responsible"} in changes


def test_a_housing_support_worker_with_a_worker_role_elsewhere_cannot_be_made_responsible(cast):
    from brygga.organisation.models import Membership, Role

    Membership.objects.create(user=cast.housing_support, role=Role.WORKER, unit=cast.rinkeby)
    url = reverse("case_team", args=[cast.case.pk])
    response = signed_in(cast.unit_manager).post(url, {"responsible": cast.housing_support.pk})
    assert response.status_code == 200
    assert cast.case.team_members.get(role=TeamRole.RESPONSIBLE).user == cast.case_worker


def test_a_worker_who_moves_to_another_district_no_longer_sees_the_case(cast):
    from brygga.organisation.models import Membership, Role, User

    Membership.objects.filter(user=cast.case_worker).update(unit=cast.rinkeby)
    moved = User.objects.get(pk=cast.case_worker.pk)
    assert cast.case not in visible_cases(moved)
    Membership.objects.create(user=moved, role=Role.WORKER, unit=cast.sodermalm)
    assert cast.case in visible_cases(User.objects.get(pk=moved.pk))
