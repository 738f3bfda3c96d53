"""State changes for protected details, grants and access requests; each atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.lib.versioning import StaleEdit, save_if_current
from brygga.people.models import (
    AccessRequest,
    AccessRequestStatus,
    Person,
    ProtectedDetails,
    ProtectedDetailsGrant,
)


@transaction.atomic
def save_protected_details(
    request: HttpRequest,
    person: Person,
    details: ProtectedDetails,
    based_on_version: int,
    changed: list[str],
) -> ProtectedDetails:
    """Create or update; raises StaleEdit if someone saved in between. Logs field names only."""
    fields = sorted(set(changed) & set(ProtectedDetails.FIELDS))
    if details.pk is None:
        current = ProtectedDetails.objects.filter(person=person).first()
        if current is not None:  # someone created them while this form was open
            raise StaleEdit(current)
        details.person = person
        details.save()
        record_change(request, Action.CREATE, details, person.pk, changed=fields)
        return details
    if fields:
        save_if_current(details, based_on_version, update_fields=fields)
        record_change(request, Action.UPDATE, details, person.pk, changed=fields)
    return details


@transaction.atomic
def request_access(request: HttpRequest, case: Any, reason: str) -> AccessRequest:
    access_request = AccessRequest.objects.create(
        case=case,
        person_id=case.person_id,
        requested_by_id=request.user.pk,  # type: ignore[misc]
        reason=reason,
    )
    record(
        request,
        Action.CREATE,
        obj=access_request,
        person_id=case.person_id,
        reason=reason,
        detail={"protected": True},
    )
    return access_request


@transaction.atomic
def decide_access_request(
    request: HttpRequest, access_request: AccessRequest, *, approve: bool
) -> ProtectedDetailsGrant | None:
    now = timezone.now()
    access_request.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.DENIED
    access_request.decided_by = request.user  # type: ignore[assignment]
    access_request.decided_at = now
    access_request.save(update_fields=["status", "decided_by", "decided_at"])
    grant = None
    if approve:
        grant = ProtectedDetailsGrant.objects.create(
            person_id=access_request.person_id,
            user_id=access_request.requested_by_id,
            granted_by_id=request.user.pk,  # type: ignore[misc]
            reason=access_request.reason,
            granted_at=now,
        )
    record(
        request,
        Action.UPDATE,
        obj=access_request,
        person_id=access_request.person_id,
        reason=access_request.reason,
        detail={"protected": True, "decision": access_request.status},
    )
    return grant


@transaction.atomic
def revoke_grant(request: HttpRequest, grant: ProtectedDetailsGrant) -> None:
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record_change(request, Action.UPDATE, grant, grant.person_id, changed=["revoked_at"])


def record_duplicate_lookup(request: HttpRequest, person_id: int | None) -> None:
    """ "This number is already among your cases" is said only of a person the user sees; the
    person's log still shows who typed their number."""
    if person_id is not None:
        record(
            request, Action.SEARCH, person_id=person_id, detail={"duplicate_identity_number": True}
        )
