"""Log review (loggkontroll): which events a manager sees, and the flags on them."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import Role, Unit


def unit_ids_in_roles(roles: str) -> set[str]:
    """'worker@12,manager@3' -> {'12', '3'}"""
    return {part.rpartition("@")[2] for part in roles.split(",") if "@" in part}


def scope(unit_ids: Collection[int], person_ids_of_units: QuerySet[Any, int]) -> QuerySet:
    """Events by staff of these units, or about persons whose cases these units own."""
    if not unit_ids:
        return AuditEvent.objects.none()
    ids = "|".join(str(int(unit_id)) for unit_id in sorted(unit_ids))
    staff = rf"(^|,)[a-z_]+@({ids})(,|$)"
    return AuditEvent.objects.filter(Q(roles__regex=staff) | Q(person_id__in=person_ids_of_units))


def apply_filters(events: QuerySet, filters: dict[str, Any]) -> QuerySet:
    if filters.get("user"):
        events = events.filter(user_id=filters["user"].pk)
    if filters.get("person"):
        events = events.filter(person_id=filters["person"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=zone)
        events = events.filter(at__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-pk")


def persons_in(events: Iterable[AuditEvent]) -> list[int]:
    """The persons a review page or export shows: those its events are about."""
    return sorted({event.person_id for event in events if event.person_id is not None})


@dataclass(frozen=True)
class BusyDay:
    user_id: int
    username: str
    day: datetime.date
    persons: int


def busy_days(events: QuerySet) -> list[BusyDay]:
    """Users who opened more different persons in one day than the threshold (one query)."""
    threshold = settings.AUDIT_MANY_PERSONS_PER_DAY
    rows = (
        events.filter(action=Action.VIEW, person_id__isnull=False, user_id__isnull=False)
        .annotate(day=TruncDate("at"))
        .values("user_id", "username", "day")
        .annotate(persons=Count("person_id", distinct=True))
        .filter(persons__gt=threshold)
        .order_by("-day", "-persons")
    )
    return [BusyDay(**row) for row in rows]


FLAG_EMERGENCY = _("Nödåtkomst")
FLAG_OUTSIDE_UNIT = _("Utanför egen enhet")
FLAG_MANY_PERSONS = _("Många personer samma dag")
# A manager lowered a person's protection level (decision 0022): the reason is on the row.
FLAG_PROTECTION_LOWERED = _("Sänkt skyddsnivå")


def flags(event: AuditEvent, busy: set[tuple[int, datetime.date]]) -> list[str]:
    found = []
    if event.action == Action.EMERGENCY_ACCESS:
        found.append(FLAG_EMERGENCY)
    owning_unit = (event.detail or {}).get("owning_unit")
    if (
        event.action == Action.VIEW
        and owning_unit is not None
        and str(owning_unit) not in unit_ids_in_roles(event.roles)
    ):
        found.append(FLAG_OUTSIDE_UNIT)
    if event.user_id and (event.user_id, timezone.localdate(event.at)) in busy:
        found.append(FLAG_MANY_PERSONS)
    if (event.detail or {}).get("protection_lowered"):
        found.append(FLAG_PROTECTION_LOWERED)
    return [str(flag) for flag in found]


@dataclass
class Row:
    event: AuditEvent
    roles: str
    flags: list[str] = field(default_factory=list)


def describe_roles(events: Iterable[AuditEvent]) -> dict[str, str]:
    """'worker@12' -> 'Socialsekreterare, <unit name>' for every roles string (one query)."""
    events = list(events)
    unit_ids = {int(uid) for e in events for uid in unit_ids_in_roles(e.roles) if uid.isdigit()}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    labels = dict(Role.choices)
    described = {}
    for event in events:
        parts = []
        for part in filter(None, event.roles.split(",")):
            role, _sep, unit_id = part.partition("@")
            label = str(labels.get(role, role))
            unit = units.get(int(unit_id)) if unit_id.isdigit() else None
            parts.append(f"{label}, {unit}" if unit else label)
        described[event.roles] = "; ".join(parts)
    return described


def rows(events: Iterable[AuditEvent], busy: list[BusyDay]) -> list[Row]:
    events = list(events)
    busy_keys = {(b.user_id, b.day) for b in busy}
    roles = describe_roles(events)
    return [Row(e, roles.get(e.roles, ""), flags(e, busy_keys)) for e in events]
