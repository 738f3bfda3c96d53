"""THE access policy: who may see or do what. Default deny.

A case is visible to its case team and to the managers of its owning unit, and for a few hours
to a caseworker who opened it through emergency access (nödåtkomst, read only). Nobody else,
administrators included, sees case content. Every list starts from these querysets.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from brygga.access.models import EmergencyAccess
from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.organisation.models import Role, Unit
from brygga.organisation.roles import has_role, unit_ids_with_role
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
    return Case.objects.filter(
        Q(pk__in=on_team) | Q(pk__in=emergency) | Q(owning_unit_id__in=managed_units)
    )


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons with at least one case the user may see."""
    return Person.objects.filter(Exists(visible_cases(user).filter(person_id=OuterRef("pk"))))


def units_for_new_cases(user: Any) -> QuerySet[Unit]:
    """Units in which the user may open a case: those where they are a worker or manager."""
    ids = unit_ids_with_role(user, Role.WORKER, Role.MANAGER)
    return Unit.objects.filter(pk__in=ids).select_related("administration")


def may_register_person(user: Any) -> bool:
    return units_for_new_cases(user).exists()


def is_manager_of(user: Any, unit_id: int) -> bool:
    return unit_id in unit_ids_with_role(user, Role.MANAGER)


def may_change_case(user: Any, case: Case) -> bool:
    """Editing needs the same visibility; housing support and coordinators only read."""
    if case.owning_unit_id in unit_ids_with_role(user, Role.MANAGER):
        return True
    return case.team_members.filter(user_id=user.pk, role__in=("responsible", "worker")).exists()


def may_set_case_team(user: Any, case: Case) -> bool:
    if case.owning_unit_id in unit_ids_with_role(user, Role.MANAGER):
        return True
    return case.team_members.filter(user_id=user.pk, role="responsible").exists()


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


def may_assign_contact_person(user: Any, case: Case) -> bool:
    """Those who may change the case, or the coordinator on its case team (who sees it)."""
    if may_change_case(user, case):
        return True
    return case.team_members.filter(user_id=user.pk, role=TeamRole.CONTACT_COORDINATOR).exists()
