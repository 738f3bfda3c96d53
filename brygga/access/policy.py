"""THE access policy: who may see or do what. Default deny.

A case is visible to its case team and to the managers of its owning unit, and for a few hours
to a caseworker who opened it through emergency access (nödåtkomst, read only). Nobody else,
administrators included, sees case content. Every list starts from these querysets.

On a case page the question is asked once: `case_access` resolves a `CaseAccess` (what the user
acts as on this case and what they may do), the `case_view` decorator keeps it on the request,
and the view and every panel read it from there (`access_for`). See
docs/decisions/0030-one-case-access-resolver.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from brygga.access.models import EmergencyAccess
from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.lib.lookups import AnyOf
from brygga.organisation.models import Role, RoleRequest, Unit
from brygga.organisation.roles import has_role, memberships, unit_ids_with_role
from brygga.partners.models import PartnerUser, Referral
from brygga.people.models import Person

# Roles that work with cases (and may be on a case team).
CASEWORK_ROLES = (Role.WORKER, Role.MANAGER, Role.HOUSING_SUPPORT, Role.CONTACT_COORDINATOR)


def visible_cases(user: Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False) or not has_role(user, *CASEWORK_ROLES):
        return Case.objects.none()
    # Uncorrelated IN-subqueries, not EXISTS: OR-ed correlated subqueries make PostgreSQL
    # probe them once per case row (seconds at 100 000 cases); these are hashed once.
    # A team membership counts only while the user still works in the owning unit: moving to
    # another district (membership removed) ends the access without editing every case team.
    current_units = unit_ids_with_role(user, *CASEWORK_ROLES)
    on_team = CaseTeamMember.objects.filter(
        user_id=user.pk, case__owning_unit_id__in=current_units
    ).values("case_id")
    emergency = EmergencyAccess.objects.filter(
        user_id=user.pk, expires_at__gt=timezone.now()
    ).values("case_id")
    managed_units = unit_ids_with_role(user, Role.MANAGER)
    # One IN over a UNION, not two OR-ed INs: PostgreSQL cannot drive a join from OR-ed
    # hashed subplans, so it filtered every case in the city (a second at 100 000 cases) to
    # find a worker's few dozen; from one IN it starts at the team rows (docs/decisions/0083).
    # The UNION as an array (AnyOf): OR-ed with the managed units it is an index condition,
    # not a hashed subplan tested on every case of the city (docs/decisions/0121).
    return Case.objects.filter(
        Q(AnyOf(F("pk"), on_team.union(emergency))) | Q(owning_unit_id__in=managed_units)
    )


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons with at least one case the user may see."""
    return Person.objects.filter(Exists(visible_cases(user).filter(person_id=OuterRef("pk"))))


def units_for_new_cases(user: Any) -> QuerySet[Unit]:
    """Units in which the user may open a case: those where they are a worker or manager."""
    ids = unit_ids_with_role(user, Role.WORKER, Role.MANAGER)
    return Unit.objects.offered().filter(pk__in=ids).select_related("administration")


def managed_unit_ids(user: Any) -> set[int]:
    """The units the user manages (enhetschef); from the memberships loaded once per request."""
    return unit_ids_with_role(user, Role.MANAGER)


def is_manager_of(user: Any, unit_id: int) -> bool:
    """THE "manager of the owning unit" test; nothing else spells it out."""
    return unit_id in managed_unit_ids(user)


def role_requests_to_decide(user: Any) -> QuerySet[RoleRequest]:
    """Pending role requests the user may approve or reject (four eyes, decision 0021).

    Administrators decide any; a unit manager decides those for a role in a unit they manage.
    Never one they asked for themselves, never one that would give themselves a role.
    """
    if not getattr(user, "is_authenticated", False):
        return RoleRequest.objects.none()
    if has_role(user, Role.ADMINISTRATOR):
        scope = Q()
    else:
        managed = managed_unit_ids(user)
        if not managed:
            return RoleRequest.objects.none()
        scope = Q(unit_id__in=managed)
    return (
        RoleRequest.objects.filter(scope, status=RoleRequest.Status.PENDING)
        .exclude(requested_by_id=user.pk)
        .exclude(user_id=user.pk)
    )


class ActsAs(enum.StrEnum):
    """What the user is on one case; decides which parts of it they see and what they may do."""

    WORKER = "worker"  # the responsible worker or another social worker on the case team
    MANAGER = "manager"  # manager of the owning unit
    HOUSING_SUPPORT = "housing_support"  # boendestödjare on the case team
    CONTACT_COORDINATOR = "contact_coordinator"  # kontaktpersonsamordnare on the case team
    EMERGENCY_READER = "emergency_reader"  # nödåtkomst: reads, changes nothing


# Team roles that carry the whole case (and may change it).
CHANGING_TEAM_ROLES = frozenset({TeamRole.RESPONSIBLE, TeamRole.WORKER})
ACTS_AS_FOR_TEAM_ROLE = {
    TeamRole.RESPONSIBLE: ActsAs.WORKER,
    TeamRole.WORKER: ActsAs.WORKER,
    TeamRole.HOUSING_SUPPORT: ActsAs.HOUSING_SUPPORT,
    TeamRole.CONTACT_COORDINATOR: ActsAs.CONTACT_COORDINATOR,
}
# Those who carry one part of the support (their plan items), not the whole case.
ACTS_IN_PART = frozenset({ActsAs.HOUSING_SUPPORT, ActsAs.CONTACT_COORDINATOR})


@dataclass(frozen=True)
class CaseAccess:
    """One user's access to one case, resolved once per request."""

    case: Case
    acts_as: ActsAs
    team_role: str  # the user's role on the case team ("" when not on it, or it no longer counts)
    is_unit_manager: bool

    @property
    def may_change(self) -> bool:
        """Editing the case: the managers of the owning unit and the social workers on its team."""
        return self.is_unit_manager or self.team_role in CHANGING_TEAM_ROLES

    @property
    def may_set_team(self) -> bool:
        return self.is_unit_manager or self.team_role == TeamRole.RESPONSIBLE

    @property
    def sees_whole_case(self) -> bool:
        """Journal, risk assessments, the person's details: not for those acting in part."""
        return self.acts_as not in ACTS_IN_PART

    @property
    def acts_in_part(self) -> bool:
        return self.acts_as in ACTS_IN_PART

    @property
    def is_emergency(self) -> bool:
        return self.acts_as == ActsAs.EMERGENCY_READER


def resolve_case_access(user: Any, case: Case, team_role: str | None) -> CaseAccess:
    """The access of a user to a case they may see; `team_role` as loaded with the case.

    A team membership counts only while the user still works in the owning unit (the same rule
    as `visible_cases`); if it does not, what is left is emergency access.
    """
    current_units = unit_ids_with_role(user, *CASEWORK_ROLES)
    role = team_role if team_role and case.owning_unit_id in current_units else ""
    manager = is_manager_of(user, case.owning_unit_id)
    if manager:
        acts_as = ActsAs.MANAGER
    elif role:
        acts_as = ACTS_AS_FOR_TEAM_ROLE.get(TeamRole(role), ActsAs.WORKER)
    else:
        acts_as = ActsAs.EMERGENCY_READER
    return CaseAccess(case=case, acts_as=acts_as, team_role=role, is_unit_manager=manager)


def case_access(user: Any, case_id: int) -> CaseAccess | None:
    """The user's access to a case, or None if they may not see it (or it does not exist).

    One query: the case (with person and owning unit) and the user's team role on it.
    """
    my_role = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk).values("role")[
        :1
    ]
    case = (
        visible_cases(user)
        .select_related("person", "owning_unit__administration")
        .annotate(my_team_role=Subquery(my_role))
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return None
    return resolve_case_access(user, case, case.my_team_role)  # type: ignore[attr-defined]


_REQUEST_ATTR = "case_access"


def remember_case_access(request: HttpRequest, access: CaseAccess) -> None:
    setattr(request, _REQUEST_ATTR, access)


def access_for(request: HttpRequest, case: Case) -> CaseAccess:
    """The access `case_view` resolved for this request and case (resolved here otherwise)."""
    access: CaseAccess | None = getattr(request, _REQUEST_ATTR, None)
    if access is not None and access.case.pk == case.pk:
        return access
    access = case_access(request.user, case.pk)
    if access is None:  # only reached outside case_view, which has already refused
        raise Http404
    remember_case_access(request, access)
    return access


def sees_case_without_emergency(user: Any, case: Case) -> bool:
    """On the case team in the owning unit, or its manager: no emergency access needed."""
    if is_manager_of(user, case.owning_unit_id):
        return True
    if case.owning_unit_id not in unit_ids_with_role(user, *CASEWORK_ROLES):
        return False
    return CaseTeamMember.objects.filter(case_id=case.pk, user_id=user.pk).exists()


def has_active_emergency_access(user: Any, case: Case) -> bool:
    return EmergencyAccess.objects.filter(
        case_id=case.pk, user_id=user.pk, expires_at__gt=timezone.now()
    ).exists()


def role_queue_q(user: Any) -> Q:
    """Plan items (tasks) owned by a role in a unit where the user holds that role: their queues."""
    queues = Q(pk__in=[])
    for membership in memberships(user):
        if membership.unit_id and membership.role in CASEWORK_ROLES:
            queues |= Q(
                actor_kind="role", actor_role=membership.role, actor_unit_id=membership.unit_id
            )
    return queues


def own_tasks_q(user: Any) -> Q:
    """Tasks the user carries: named as owner, or taken from a unit queue."""
    return Q(taken_by_id=user.pk) | Q(actor_kind="staff", actor_user_id=user.pk)


def may_carry_out(
    user: Any,
    *,
    actor_user_id: int | None,
    actor_role: str,
    actor_unit_id: int | None,
    taken_by_id: int | None,
) -> bool:
    """The user owns this piece of work: taken by them, named, or their role in that unit.

    Marking one's own task done needs no right to change the case (housing support has none).
    """
    if taken_by_id is not None:
        return bool(taken_by_id == user.pk)
    if actor_user_id is not None:
        return bool(actor_user_id == user.pk)
    return bool(actor_role) and actor_unit_id in unit_ids_with_role(user, actor_role)


def holds_role_in(user: Any, role: str, unit_id: int | None) -> bool:
    return unit_id is not None and unit_id in unit_ids_with_role(user, role)


def is_caseworker(user: Any) -> bool:
    return has_role(user, *CASEWORK_ROLES)


def is_manager(user: Any) -> bool:
    return has_role(user, Role.MANAGER)


def is_administrator(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


# Civil-society partners (brygga.partners). A partner user belongs to one organisation and
# sees only referrals to it; what of each referral they see is decided by its consent.


def partner_organisation_id(user: Any) -> int | None:
    """The organisation a partner user belongs to, or None (not a partner, or not linked)."""
    if not has_role(user, Role.PARTNER):
        return None
    link = PartnerUser.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True)
    return link.first()


def partner_referrals(user: Any) -> QuerySet[Referral]:
    """Referrals to the user's own organisation; nothing for anyone else."""
    organisation_id = partner_organisation_id(user)
    if organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(organisation_id=organisation_id)


def may_maintain_partner_directory(user: Any) -> bool:
    """The contact-person coordinator and administrators keep the directory and register."""
    return has_role(user, Role.CONTACT_COORDINATOR, Role.ADMINISTRATOR)


def may_assign_contact_person(access: CaseAccess) -> bool:
    """Those who may change the case, or the contact-person coordinator on its case team."""
    return access.may_change or access.acts_as == ActsAs.CONTACT_COORDINATOR


def may_decide_legal_hold(access: CaseAccess) -> bool:
    """A legal hold (bevarandebeslut) is a manager's decision: the managers of the case's owning
    unit record and lift it. Administrators see no case content, so they cannot."""
    return access.is_unit_manager and not access.is_emergency
