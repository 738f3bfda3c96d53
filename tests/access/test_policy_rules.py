"""The access policy's smaller rules, as the personas meet them.

Who carries out a piece of work, who sees a case without emergency access, and whose
emergency access is in force: each rule with the persona it lets in beside the one it keeps out.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from brygga.access import policy
from brygga.access.models import EmergencyAccess
from brygga.cases.models import CaseTeamMember, TeamRole
from brygga.organisation.models import Role, RoleRequest
from tests.factories import case_with_team, staff_member
from tests.partners.conftest import organisation, partner_user

pytestmark = pytest.mark.django_db


def carries_out(user, *, actor_user=None, role="", unit=None, taken_by=None) -> bool:
    return policy.may_carry_out(
        user,
        actor_user_id=actor_user.pk if actor_user else None,
        actor_role=role,
        actor_unit_id=unit.pk if unit else None,
        taken_by_id=taken_by.pk if taken_by else None,
    )


# --- who carries out a task ---------------------------------------------------------------


def test_the_named_colleague_carries_out_the_task_and_nobody_else_does(cast):
    assert carries_out(cast.housing_support, actor_user=cast.housing_support)
    assert not carries_out(cast.case_worker, actor_user=cast.housing_support)


def test_whoever_took_a_task_from_a_queue_carries_it_out_not_the_rest_of_the_queue(cast):
    other_support = staff_member(Role.HOUSING_SUPPORT, cast.sodermalm)
    queue = {"role": Role.HOUSING_SUPPORT, "unit": cast.sodermalm}
    assert carries_out(cast.housing_support, **queue, taken_by=cast.housing_support)
    assert not carries_out(other_support, **queue, taken_by=cast.housing_support)


def test_a_taken_task_belongs_to_the_taker_even_if_someone_else_was_named(cast):
    assert carries_out(cast.colleague, actor_user=cast.case_worker, taken_by=cast.colleague)
    assert not carries_out(cast.case_worker, actor_user=cast.case_worker, taken_by=cast.colleague)


def test_a_task_for_a_role_in_a_unit_is_carried_out_by_that_role_in_that_unit_only(cast):
    rinkeby_support = staff_member(Role.HOUSING_SUPPORT, cast.rinkeby)
    queue = {"role": Role.HOUSING_SUPPORT, "unit": cast.sodermalm}
    assert carries_out(cast.housing_support, **queue)
    assert not carries_out(rinkeby_support, **queue)  # the same role in another district
    assert not carries_out(cast.case_worker, **queue)  # another role in the same unit


def test_a_task_with_no_owner_at_all_is_carried_out_by_nobody(cast):
    assert carries_out(cast.housing_support, role=Role.HOUSING_SUPPORT, unit=cast.sodermalm)
    assert not carries_out(cast.housing_support, role="", unit=cast.sodermalm)


# --- who sees a case without emergency access ----------------------------------------------


def test_the_unit_manager_sees_the_units_case_without_being_on_its_team(cast):
    assert not CaseTeamMember.objects.filter(case=cast.case, user=cast.unit_manager).exists()
    assert policy.sees_case_without_emergency(cast.unit_manager, cast.case)
    assert not policy.sees_case_without_emergency(cast.other_district_manager, cast.case)


def test_the_team_sees_the_case_but_a_colleague_in_the_unit_needs_emergency_access(cast):
    assert policy.sees_case_without_emergency(cast.case_worker, cast.case)
    assert policy.sees_case_without_emergency(cast.housing_support, cast.case)
    assert not policy.sees_case_without_emergency(cast.colleague, cast.case)


def test_being_on_another_cases_team_does_not_open_this_case(cast):
    case_with_team(cast.sodermalm, cast.colleague)
    assert policy.sees_case_without_emergency(cast.case_worker, cast.case)
    assert not policy.sees_case_without_emergency(cast.colleague, cast.case)


def test_a_worker_who_moved_district_no_longer_sees_her_old_team_case_directly(cast):
    moved = staff_member(Role.WORKER, cast.rinkeby)
    CaseTeamMember.objects.create(case=cast.case, user=moved, role=TeamRole.RESPONSIBLE)
    assert policy.sees_case_without_emergency(cast.case_worker, cast.case)
    assert not policy.sees_case_without_emergency(moved, cast.case)


# --- whose emergency access is in force ----------------------------------------------------


def granted(user, case, *, hours: float) -> EmergencyAccess:
    return EmergencyAccess.objects.create(
        user=user,
        case=case,
        reason="Fiktiv akut situation",
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )


def test_an_emergency_access_opens_that_case_for_that_user_only(cast):
    other_case = case_with_team(cast.sodermalm, cast.case_worker)
    granted(cast.other_district_worker, cast.case, hours=2)
    assert policy.has_active_emergency_access(cast.other_district_worker, cast.case)
    assert not policy.has_active_emergency_access(cast.other_district_worker, other_case)
    assert not policy.has_active_emergency_access(cast.colleague, cast.case)


def test_an_expired_emergency_access_no_longer_opens_the_case(cast):
    granted(cast.colleague, cast.case, hours=-1)
    granted(cast.other_district_worker, cast.case, hours=1)
    assert not policy.has_active_emergency_access(cast.colleague, cast.case)
    assert policy.has_active_emergency_access(cast.other_district_worker, cast.case)


# --- who may take a task from a unit's queue ------------------------------------------------


def test_a_role_in_a_unit_is_held_by_its_members_with_that_role_only(cast):
    rinkeby_support = staff_member(Role.HOUSING_SUPPORT, cast.rinkeby)
    assert policy.holds_role_in(cast.housing_support, Role.HOUSING_SUPPORT, cast.sodermalm.pk)
    assert not policy.holds_role_in(rinkeby_support, Role.HOUSING_SUPPORT, cast.sodermalm.pk)
    assert not policy.holds_role_in(cast.case_worker, Role.HOUSING_SUPPORT, cast.sodermalm.pk)


def test_a_queue_without_a_unit_is_nobody_s_to_take(cast):
    assert policy.holds_role_in(cast.housing_support, Role.HOUSING_SUPPORT, cast.sodermalm.pk)
    assert not policy.holds_role_in(cast.housing_support, Role.HOUSING_SUPPORT, None)


# --- which organisation a partner user acts for ----------------------------------------------


def test_a_partner_user_acts_for_her_own_organisation_and_staff_for_none(cast):
    mentors = organisation("Mentorsföreningen")
    first = partner_user(mentors, "mentor-1")
    second = partner_user(mentors, "mentor-2")
    # The organisation's id, not the link's: two links cannot both share the organisation's id.
    assert policy.partner_organisation_id(first) == mentors.pk
    assert policy.partner_organisation_id(second) == mentors.pk
    assert policy.partner_organisation_id(cast.case_worker) is None


def test_a_partner_role_without_an_organisation_acts_for_none(cast):
    unlinked = staff_member(Role.PARTNER, None, username="olankad")
    mentors = organisation("Mentorsföreningen")
    assert policy.partner_organisation_id(partner_user(mentors, "mentor")) == mentors.pk
    assert policy.partner_organisation_id(unlinked) is None


# --- who decides a role request (four eyes) ---------------------------------------------------


def asks(by, *, for_user, role=Role.WORKER, unit=None) -> RoleRequest:
    return RoleRequest.objects.create(user=for_user, role=role, unit=unit, requested_by=by)


def decides(user) -> set[int]:
    return set(policy.role_requests_to_decide(user).values_list("pk", flat=True))


def test_the_manager_decides_requests_for_her_own_unit_and_not_for_another_district(cast):
    newcomer = staff_member(Role.WORKER, None, username="nyanstalld")
    own = asks(cast.administrator, for_user=newcomer, unit=cast.sodermalm)
    other = asks(cast.administrator, for_user=newcomer, unit=cast.rinkeby)
    assert decides(cast.unit_manager) == {own.pk}
    assert decides(cast.other_district_manager) == {other.pk}


def test_the_administrator_decides_requests_in_any_unit_but_a_worker_decides_none(cast):
    newcomer = staff_member(Role.WORKER, None, username="nyanstalld")
    soder = asks(cast.unit_manager, for_user=newcomer, unit=cast.sodermalm)
    rinkeby = asks(cast.other_district_manager, for_user=newcomer, unit=cast.rinkeby)
    assert decides(cast.administrator) == {soder.pk, rinkeby.pk}
    assert decides(cast.case_worker) == set()


def test_nobody_decides_a_request_they_made_or_one_that_gives_them_a_role(cast):
    newcomer = staff_member(Role.WORKER, None, username="nyanstalld")
    made_by_her = asks(cast.unit_manager, for_user=newcomer, unit=cast.sodermalm)
    asks(cast.administrator, for_user=cast.unit_manager, unit=cast.sodermalm)
    assert decides(cast.administrator) == {made_by_her.pk}
    assert decides(cast.unit_manager) == set()


def test_only_pending_requests_are_decided_and_a_signed_out_visitor_decides_none(cast):
    newcomer = staff_member(Role.WORKER, None, username="nyanstalld")
    pending = asks(cast.administrator, for_user=newcomer, unit=cast.sodermalm)
    decided = asks(cast.administrator, for_user=newcomer, unit=cast.sodermalm)
    RoleRequest.objects.filter(pk=decided.pk).update(status=RoleRequest.Status.APPROVED)
    assert decides(cast.unit_manager) == {pending.pk}
    assert decides(AnonymousUser()) == set()
    assert decides(None) == set()  # a page rendered before anyone is known


# --- one access per request and case --------------------------------------------------------


def requested_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_case_s_access_is_resolved_once_per_request_and_then_reused(
    cast, django_assert_num_queries
):
    request = requested_by(cast.case_worker)
    first = policy.access_for(request, cast.case)
    assert first.may_change
    with django_assert_num_queries(0):
        assert policy.access_for(request, cast.case) is first


def test_the_access_resolved_for_one_case_never_opens_another(cast):
    not_hers = case_with_team(cast.sodermalm, cast.colleague)
    request = requested_by(cast.case_worker)
    assert policy.access_for(request, cast.case).case == cast.case
    with pytest.raises(Http404):
        policy.access_for(request, not_hers)


# --- who decides a legal hold, who assigns a contact person ----------------------------------


def access(user, case):
    resolved = policy.case_access(user, case.pk)
    assert resolved is not None
    return resolved


def test_only_the_owning_unit_s_manager_decides_a_legal_hold(cast):
    granted(cast.other_district_manager, cast.case, hours=2)
    assert policy.may_decide_legal_hold(access(cast.unit_manager, cast.case))
    assert not policy.may_decide_legal_hold(access(cast.case_worker, cast.case))
    assert not policy.may_decide_legal_hold(access(cast.other_district_manager, cast.case))


def test_the_worker_and_the_team_s_coordinator_assign_a_contact_person_housing_support_not(cast):
    coordinator = staff_member(Role.CONTACT_COORDINATOR, cast.sodermalm, username="samordnare")
    CaseTeamMember.objects.create(
        case=cast.case, user=coordinator, role=TeamRole.CONTACT_COORDINATOR
    )
    assert policy.may_assign_contact_person(access(cast.case_worker, cast.case))
    assert policy.may_assign_contact_person(access(coordinator, cast.case))
    assert not policy.may_assign_contact_person(access(cast.housing_support, cast.case))


def test_a_worker_who_moved_district_reads_her_old_case_only_by_emergency_access(cast):
    moved = staff_member(Role.WORKER, cast.rinkeby, username="flyttad")
    CaseTeamMember.objects.create(case=cast.case, user=moved, role=TeamRole.WORKER)
    assert policy.case_access(moved, cast.case.pk) is None
    granted(moved, cast.case, hours=2)
    theirs = access(moved, cast.case)
    assert (theirs.acts_as, theirs.team_role) == (policy.ActsAs.EMERGENCY_READER, "")
    assert not theirs.may_change
    assert access(cast.case_worker, cast.case).may_change  # the team member still in the unit
