"""State changes for persons and cases: each atomic, each writing its audit events."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.cases.models import Case, CaseTeamMember, IdentityMatch, TeamRole
from brygga.lib.versioning import save_if_current
from brygga.organisation.models import Role, Unit, User
from brygga.people.models import Person


@transaction.atomic
def register_person_and_open_case(
    request: HttpRequest,
    person: Person,
    owning_unit: Unit,
    responsible: User,
    opened_on: datetime.date,
    hidden_matches: Iterable[int] = (),
) -> Case:
    person.save()
    case = Case.objects.create(person=person, owning_unit=owning_unit, opened_on=opened_on)
    CaseTeamMember.objects.create(case=case, user=responsible, role=TeamRole.RESPONSIBLE)
    opener = cast(User, request.user)  # views reach here only signed in
    if (
        opener != responsible
        and opener.memberships.filter(unit=owning_unit, role=Role.WORKER).exists()
    ):
        # A worker who opens a case for a colleague stays on it (else they would meet a 404).
        CaseTeamMember.objects.create(case=case, user=opener, role=TeamRole.WORKER)
    record_change(request, Action.CREATE, person, person.pk, changed=["*"])
    record_change(request, Action.CREATE, case, person.pk, changed=["*"])
    route_identity_matches(request, person, hidden_matches)
    return case


def route_identity_matches(
    request: HttpRequest, person: Person, hidden_matches: Iterable[int]
) -> None:
    """The same number as persons the user may not see: nothing is said to the user; the
    owning units' managers get a match to look into, and each existing person's log shows
    who typed their number."""
    user = cast(User, request.user)
    for existing_id in hidden_matches:
        match = IdentityMatch.objects.create(
            registered_person=person, existing_person_id=existing_id, registered_by=user
        )
        record(
            request,
            Action.SEARCH,
            obj=match,
            person_id=existing_id,
            detail={"identity_match": True, "registered_person": person.pk},
        )


@transaction.atomic
def update_person(
    request: HttpRequest,
    person: Person,
    based_on_version: int,
    changed: Iterable[str],
    hidden_matches: Iterable[int] = (),
    *,
    lowered_from: str = "",
    reason: str = "",
) -> Person:
    """Raises StaleEdit if someone else saved the person since the form was opened.

    Lowering the protection level (`lowered_from` the level before) is the manager's decision,
    recorded with its reason and flagged in the log review; it unmasks nothing: the details
    stay behind a grant (`ever_protected`, decision 0022).
    """
    fields = set(changed)
    if lowered_from:
        person.ever_protected = True
        fields.add("ever_protected")
    fields_sorted = sorted(fields)
    save_if_current(person, based_on_version, update_fields=fields_sorted)
    detail: dict[str, object] = {"fields": fields_sorted}
    if lowered_from:
        detail["protection_lowered"] = {"from": lowered_from, "to": person.protection_level}
    record(
        request,
        Action.UPDATE,
        obj=person,
        person_id=person.pk,
        reason=reason if lowered_from else "",
        detail=detail,
    )
    route_identity_matches(request, person, hidden_matches)
    return person


@transaction.atomic
def set_case_team(
    request: HttpRequest, case: Case, responsible: User, members: dict[User, str]
) -> None:
    """Replace the case team: one responsible worker plus members with their roles."""
    wanted = {
        responsible: TeamRole.RESPONSIBLE,
        **{u: r for u, r in members.items() if u != responsible},
    }
    current = {m.user_id: m for m in case.team_members.all()}
    changes: list[dict[str, object]] = []
    for user, role in wanted.items():
        member = current.pop(user.pk, None)
        if member is None:
            CaseTeamMember.objects.create(case=case, user=user, role=role)
            changes.append({"user": user.pk, "added": role})
        elif member.role != role:
            changes.append({"user": user.pk, "role": role, "was": member.role})
            member.role = role
            member.save(update_fields=["role"])
    changes += [{"user": m.user_id, "removed": m.role} for m in current.values()]
    CaseTeamMember.objects.filter(pk__in=[m.pk for m in current.values()]).delete()
    # Who gained or lost access to the case is the point of this event.
    record(
        request,
        Action.UPDATE,
        obj=case,
        person_id=case.person_id,
        detail={"fields": ["team"], "team_changes": changes},
    )


@transaction.atomic
def acknowledge_identity_match(request: HttpRequest, match: IdentityMatch) -> None:
    match.acknowledged_at = timezone.now()
    match.acknowledged_by = cast(User, request.user)
    match.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(request, Action.UPDATE, obj=match, person_id=match.existing_person_id)
