"""State changes of transitional housing: each atomic, each writing its audit event."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.history.services import record_outcome
from brygga.housing import rules
from brygga.housing.models import Allocation, Flat, LeftReason, WaitingEntry
from brygga.lib.versioning import save_if_current
from brygga.support.models import Intervention


class HousingRefused(Exception):
    """A change the rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _overlap_message(other: Allocation) -> str:
    if other.ended_on is None:
        return _("Lägenheten är redan tilldelad från %(start)s och inte avslutad.") % {
            "start": other.starts_on.isoformat()
        }
    return _("Lägenheten är redan tilldelad %(start)s–%(end)s.") % {
        "start": other.starts_on.isoformat(),
        "end": other.ended_on.isoformat(),
    }


@transaction.atomic
def allocate(
    request: HttpRequest,
    intervention: Intervention,
    flat: Flat,
    starts_on: datetime.date,
    until: datetime.date | None,
) -> Allocation:
    """Give `flat` to the case of `intervention` from `starts_on`; refuses an overlap."""
    if until is not None and until < starts_on:
        raise HousingRefused(_("Slutdatum kan inte vara före inflyttningen."), "until")
    # Lock the flat: two allocations of the same flat are decided one after the other.
    flat = Flat.objects.select_for_update().get(pk=flat.pk)
    if flat.removed_on is not None:
        raise HousingRefused(_("Lägenheten är borttagen ur beståndet."), "flat")
    if flat.blocked:
        raise HousingRefused(_("Lägenheten är spärrad för reparation."), "flat")
    if starts_on < flat.available_from:
        raise HousingRefused(
            _("Lägenheten är tillgänglig först från %(day)s.")
            % {"day": flat.available_from.isoformat()},
            "starts_on",
        )
    wanted = rules.Period(starts_on, None)
    for other in Allocation.objects.filter(flat=flat):
        if rules.overlaps(wanted, rules.Period(other.starts_on, other.ended_on)):
            raise HousingRefused(_overlap_message(other), "starts_on")
    allocation = Allocation(
        flat=flat,
        case=intervention.case,
        intervention=intervention,
        starts_on=starts_on,
        until=until,
        created_by=_user(request),
    )
    try:
        with transaction.atomic():
            allocation.save()
    except IntegrityError as exc:  # the database's own overlap rule, on a race
        raise HousingRefused(
            _("Lägenheten är redan tilldelad under perioden."), "starts_on"
        ) from exc
    WaitingEntry.objects.filter(
        case_id=intervention.case_id, kind=flat.kind, left_on__isnull=True, since__lte=starts_on
    ).update(left_on=starts_on, left_reason=LeftReason.ALLOCATED)
    record_change(request, Action.CREATE, allocation, intervention.case.person_id, changed=["*"])
    return allocation


@transaction.atomic
def end_allocation(
    request: HttpRequest,
    allocation: Allocation,
    *,
    ended_on: datetime.date,
    moved_to: str,
    based_on_version: int,
) -> Allocation:
    """She moved out: the allocation ends, and where she moved becomes an outcome event."""
    if ended_on < allocation.starts_on:
        raise HousingRefused(_("Utflyttningen kan inte vara före inflyttningen."), "ended_on")
    if allocation.ended_on is not None:
        raise HousingRefused(_("Tilldelningen är redan avslutad."))
    allocation.ended_on = ended_on
    allocation.moved_to = moved_to
    kind = rules.OUTCOME_FOR_MOVE.get(moved_to)
    if kind:
        allocation.outcome = record_outcome(
            request, allocation.case, kind=kind, occurred_on=ended_on, note=""
        )
    save_if_current(allocation, based_on_version, ["ended_on", "moved_to", "outcome"])
    record_change(
        request,
        Action.UPDATE,
        allocation,
        allocation.case.person_id,
        changed=["ended_on", "moved_to"],
    )
    return allocation


@transaction.atomic
def remove_flat(request: HttpRequest, flat: Flat, based_on_version: int) -> Flat:
    """Take a flat out of the inventory; never while someone holds it (now or booked)."""
    today = timezone.localdate()
    held = Allocation.objects.filter(flat=flat).exclude(ended_on__lte=today).exists()
    if held:
        raise HousingRefused(
            _("Lägenheten kan inte tas bort medan den är tilldelad. Avsluta tilldelningen först.")
        )
    flat.removed_on = today
    save_if_current(flat, based_on_version, ["removed_on"])
    record_change(request, Action.UPDATE, flat, None, changed=["removed_on"])
    return flat


@transaction.atomic
def set_blocked(request: HttpRequest, flat: Flat, blocked: bool, based_on_version: int) -> Flat:
    flat.blocked = blocked
    save_if_current(flat, based_on_version, ["blocked"])
    record_change(request, Action.UPDATE, flat, None, changed=["blocked"])
    return flat


@transaction.atomic
def add_to_waiting_list(request: HttpRequest, entry: WaitingEntry) -> WaitingEntry:
    if WaitingEntry.objects.filter(
        case_id=entry.case_id, kind=entry.kind, left_on__isnull=True
    ).exists():
        raise HousingRefused(_("Personen står redan i kön till den här typen av boende."), "kind")
    entry.created_by = _user(request)
    entry.save()
    record_change(request, Action.CREATE, entry, entry.case.person_id, changed=["*"])
    return entry


@transaction.atomic
def leave_waiting_list(
    request: HttpRequest,
    entry: WaitingEntry,
    on: datetime.date,
    reason: str = LeftReason.OTHER,
    note: str = "",
) -> None:
    """Take the person off the waiting list from `on`, saying why; the entry itself stays."""
    entry = WaitingEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.left_on is not None:
        raise HousingRefused(_("Personen har redan lämnat kön."), "left_on")
    if on < entry.since:
        raise HousingRefused(_("Datumet kan inte vara före ködatumet."), "left_on")
    entry.left_on, entry.left_reason, entry.left_note = on, reason, note
    entry.save(update_fields=["left_on", "left_reason", "left_note"])
    record(
        request,
        Action.UPDATE,
        obj=entry,
        person_id=entry.case.person_id,
        detail={"fields": ["left_note", "left_on", "left_reason"], "left_reason": reason},
    )


@transaction.atomic
def save_flat(
    request: HttpRequest,
    flat: Flat,
    *,
    new_address: str,
    based_on_version: int | None,
    changed: list[str],
) -> Flat:
    """Create or edit a flat; the audit names the changed fields, never the address itself."""
    if new_address:
        flat.address = new_address
        changed = [*changed, "address"]
    if flat.pk is None:
        flat.district_id = flat.holding_unit.administration_id
        flat.save()
        record_change(request, Action.CREATE, flat, None, changed=["*"])
        return flat
    fields = [
        "kind",
        "label",
        "rooms",
        "area_sqm",
        "landlord",
        "available_from",
        "blocked",
        "address",
    ]
    save_if_current(flat, based_on_version or 0, fields)
    record_change(request, Action.UPDATE, flat, None, changed=sorted(set(changed) - {"version"}))
    return flat
