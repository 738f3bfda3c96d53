"""Account changes by administrators: each atomic, each audited. Users are never deleted."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.access import policy
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation import enrolment
from brygga.organisation.models import (
    ROLES_NEEDING_APPROVAL,
    Membership,
    RoleRequest,
    Unit,
    User,
)


class ApprovalNeeded(ValueError):
    """A role that reaches case content was to be granted without a second person."""


@transaction.atomic
def create_user(request: HttpRequest, user: User, password: str) -> tuple[User, str]:
    """The new account, and its enrolment code, to be shown once to the administrator."""
    user.set_password(password)
    user.save()
    record(request, Action.CREATE, obj=user, detail={"account": user.username})
    return user, enrolment.issue_code(request, user)


@transaction.atomic
def update_names(request: HttpRequest, user: User, changed: list[str]) -> None:
    if changed:
        user.save(update_fields=sorted(changed))
        record(request, Action.UPDATE, obj=user, detail={"fields": sorted(changed)})


def _role_detail(role: str, unit_id: int | None) -> dict[str, Any]:
    return {"role": role, "unit": unit_id}


@transaction.atomic
def grant_or_request_role(
    request: HttpRequest, user: User, role: str, unit: Unit | None
) -> Membership | RoleRequest:
    """A role that needs a second person becomes a pending request; any other is granted."""
    if role in ROLES_NEEDING_APPROVAL:
        return request_role(request, user, role, unit)
    return add_membership(request, user, role, unit)


@transaction.atomic
def request_role(request: HttpRequest, user: User, role: str, unit: Unit | None) -> RoleRequest:
    role_request = RoleRequest.objects.create(
        user=user, role=role, unit=unit, requested_by=cast(User, request.user)
    )
    record(
        request,
        Action.UPDATE,
        obj=user,
        detail={
            "role_requested": _role_detail(role, unit.pk if unit else None),
            "role_request": role_request.pk,
        },
    )
    return role_request


def _pending_for_decider(request: HttpRequest, role_request_id: int) -> RoleRequest:
    """The pending request, locked, if the user may decide it; otherwise it does not exist."""
    decidable = policy.role_requests_to_decide(request.user).select_for_update()
    role_request = decidable.filter(pk=role_request_id).first()
    if role_request is None:
        raise Http404
    return role_request


@transaction.atomic
def approve_role_request(request: HttpRequest, role_request_id: int) -> Membership:
    """The second person approves: the role takes effect now."""
    role_request = _pending_for_decider(request, role_request_id)
    now = timezone.now()
    membership, _created = Membership.objects.get_or_create(
        user_id=role_request.user_id,
        role=role_request.role,
        unit=role_request.unit,
        defaults={"approved_by": cast(User, request.user), "approved_at": now},
    )
    _decide(request, role_request, RoleRequest.Status.APPROVED, now, "role_approved")
    return membership


@transaction.atomic
def reject_role_request(request: HttpRequest, role_request_id: int) -> RoleRequest:
    """The second person rejects: the role is never given."""
    role_request = _pending_for_decider(request, role_request_id)
    _decide(request, role_request, RoleRequest.Status.REJECTED, timezone.now(), "role_rejected")
    return role_request


def _decide(
    request: HttpRequest,
    role_request: RoleRequest,
    status: str,
    at: datetime.datetime,
    audit_key: str,
) -> None:
    """Record the second person's decision on the request, and audit it on the account."""
    role_request.status = status
    role_request.decided_by = cast(User, request.user)
    role_request.decided_at = at
    role_request.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        request,
        Action.UPDATE,
        obj=role_request.user,
        detail={
            audit_key: _role_detail(role_request.role, role_request.unit_id),
            "role_request": role_request.pk,
            "requested_by": role_request.requested_by_id,
        },
    )


@transaction.atomic
def add_membership(request: HttpRequest, user: User, role: str, unit: Unit | None) -> Membership:
    """A role that needs no second person (statistician, network)."""
    if role in ROLES_NEEDING_APPROVAL:
        raise ApprovalNeeded(role)
    membership = Membership.objects.create(user=user, role=role, unit=unit)
    record(
        request,
        Action.UPDATE,
        obj=user,
        detail={"membership_added": {"role": role, "unit": unit.pk if unit else None}},
    )
    return membership


@transaction.atomic
def remove_membership(request: HttpRequest, membership: Membership) -> None:
    detail: dict[str, Any] = {"role": membership.role, "unit": membership.unit_id}
    user = membership.user
    membership.delete()
    record(request, Action.UPDATE, obj=user, detail={"membership_removed": detail})


@transaction.atomic
def set_active(request: HttpRequest, user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(request, Action.UPDATE, obj=user, detail={"is_active": active})


@transaction.atomic
def reset_second_factor(request: HttpRequest, user: User) -> str:
    """The user enrols a new authenticator at the next login, with the new enrolment code
    returned here (shown once to the administrator)."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    record(request, Action.UPDATE, obj=user, detail={"second_factor_reset": count})
    return enrolment.issue_code(request, user)
