"""One access resolver: what each persona acts as on a case, and what that lets them do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.access import policy
from brygga.access.models import EmergencyAccess
from brygga.access.policy import ActsAs
from brygga.cases.models import CaseTeamMember, TeamRole
from brygga.organisation.models import Membership, Role
from brygga.organisation.roles import forget_memberships
from tests.conftest import signed_in
from tests.factories import staff_member

pytestmark = pytest.mark.django_db


def access(user, case):
    forget_memberships(user)
    return policy.case_access(user, case.pk)


def test_the_case_worker_acts_as_worker_and_may_change_and_set_the_team(cast):
    mine = access(cast.case_worker, cast.case)
    assert mine.acts_as == ActsAs.WORKER
    assert mine.may_change and mine.may_set_team
    assert mine.sees_whole_case
    assert not mine.is_unit_manager


def test_the_unit_manager_acts_as_manager_without_being_on_the_team(cast):
    managers = access(cast.unit_manager, cast.case)
    assert managers.acts_as == ActsAs.MANAGER
    assert managers.is_unit_manager and managers.may_change and managers.may_set_team


def test_housing_support_acts_in_part_and_changes_nothing_of_the_case(cast):
    hers = access(cast.housing_support, cast.case)
    assert hers.acts_as == ActsAs.HOUSING_SUPPORT
    assert hers.acts_in_part
    assert not hers.may_change
    assert not hers.sees_whole_case


def test_a_contact_person_coordinator_on_the_team_acts_in_part(cast):
    coordinator = staff_member(Role.CONTACT_COORDINATOR, cast.sodermalm, username="coordinator")
    CaseTeamMember.objects.create(
        case=cast.case, user=coordinator, role=TeamRole.CONTACT_COORDINATOR
    )
    theirs = access(coordinator, cast.case)
    assert theirs.acts_as == ActsAs.CONTACT_COORDINATOR
    assert theirs.acts_in_part and not theirs.may_change


def test_emergency_access_reads_and_changes_nothing(cast):
    EmergencyAccess.objects.create(
        user=cast.other_district_worker, case=cast.case, reason="Akut hot, ansvarig är sjuk idag"
    )
    theirs = access(cast.other_district_worker, cast.case)
    assert theirs.acts_as == ActsAs.EMERGENCY_READER
    assert theirs.is_emergency and theirs.sees_whole_case
    assert not theirs.may_change and not theirs.may_set_team


def test_someone_off_the_team_has_no_access_at_all(cast):
    assert access(cast.case_worker, cast.case) is not None
    assert access(cast.colleague, cast.case) is None
    assert access(cast.other_district_manager, cast.case) is None
    assert access(cast.administrator, cast.case) is None


def test_resolving_the_access_is_one_query(cast, django_assert_num_queries):
    forget_memberships(cast.case_worker)
    policy.case_access(cast.case_worker, cast.case.pk)  # loads the memberships once
    with django_assert_num_queries(1):
        policy.case_access(cast.case_worker, cast.case.pk)


def moved_to_rinkeby(cast):
    """The case worker moves district: her membership moves, the old case team stays."""
    Membership.objects.filter(user=cast.case_worker).update(unit=cast.rinkeby)
    forget_memberships(cast.case_worker)
    return cast.case_worker


def test_a_worker_who_moved_district_no_longer_sees_her_old_case(cast):
    worker = moved_to_rinkeby(cast)
    assert CaseTeamMember.objects.filter(case=cast.case, user=worker).exists()
    assert access(worker, cast.case) is None


def test_a_worker_who_moved_district_is_offered_emergency_access_not_a_bare_404(cast):
    client = signed_in(moved_to_rinkeby(cast))
    response = client.get(reverse("case_detail", args=[cast.case.pk]))
    assert response.status_code == 404
    offer = f"{reverse('emergency_access')}?arende={cast.case.pk}"
    assert offer in response.content.decode()
    form = client.get(offer)
    assert f'value="{cast.case.pk}"' in form.content.decode()


def test_a_worker_who_moved_district_gets_emergency_access_granted(cast):
    client = signed_in(moved_to_rinkeby(cast))
    response = client.post(
        reverse("emergency_access"),
        {"case_number": cast.case.pk, "reason": "Personen ringde mig om akut hot i kväll"},
    )
    assert response.status_code == 302
    assert EmergencyAccess.objects.filter(user=cast.case_worker, case=cast.case).exists()
    page = client.get(reverse("case_detail", args=[cast.case.pk]))
    assert page.status_code == 200
    assert cast.case.person.full_name in page.content.decode()


def test_the_404_page_offers_no_emergency_access_to_an_administrator(cast):
    client = signed_in(cast.administrator)
    response = client.get(reverse("case_detail", args=[cast.case.pk]))
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
    assert "arende=" not in response.content.decode()
