"""Writing audit events. Call these, never AuditEvent.objects.create, so every row is complete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from brygga.audit import chain
from brygga.audit.models import Action, AuditEvent, PersonShown
from brygga.organisation.roles import roles_summary

SHOWN_BATCH = 5000


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | None,
    action: str,
    *,
    user: Any = None,
    username: str = "",
    person_id: int | None = None,
    obj: models.Model | None = None,
    persons_shown: Iterable[int] = (),
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event, pending until the sealer chains it. `persons_shown` lists the
    persons on a list page, search hits or log review: kept in the event's detail and, one
    row each, in PersonShown for the persons' log extracts (one more INSERT, any number)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    detail = dict(detail or {})
    shown = sorted(set(persons_shown))
    if shown:
        detail["persons"] = shown
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        user_id=user.pk if user else None,
        username=user.get_username() if user else username[:150],
        roles=roles_summary(user) if user else "",
        person_id=person_id,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=request.path[:300] if request is not None else "",
        request_id=getattr(request, "request_id", "") if request is not None else "",
        ip_address=_client_ip(request),
        reason=reason,
        detail=detail,
    )
    event = chain.append(event)
    if shown:
        PersonShown.objects.bulk_create(
            [PersonShown(event_id=event.pk, person_id=person) for person in shown],
            batch_size=SHOWN_BATCH,
        )
    return event


def record_view(request: HttpRequest, obj: models.Model, person_id: int | None) -> AuditEvent:
    """A page showing `obj`. For an object owned by a unit (a case), the owning unit is kept in
    detail so the log review can flag access from outside the user's own units."""
    owning_unit = getattr(obj, "owning_unit_id", None)
    detail = {"owning_unit": owning_unit} if owning_unit is not None else None
    return record(request, Action.VIEW, obj=obj, person_id=person_id, detail=detail)


def record_change(
    request: HttpRequest,
    action: str,
    obj: models.Model,
    person_id: int | None,
    changed: Iterable[str] = (),
) -> AuditEvent:
    """A create or update; `changed` names the fields, never their (possibly protected) values."""
    return record(request, action, obj=obj, person_id=person_id, detail={"fields": sorted(changed)})
