"""Budget assignment changes: atomic, audited, optimistically locked."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from brygga.audit.log import record_change
from brygga.audit.models import Action
from brygga.lib.versioning import save_if_current
from brygga.network.models import BudgetAssignment, MeetingNote

FIELDS = [
    "title",
    "description",
    "responsible_district",
    "responsible_unit",
    "status",
    "next_check_in",
]


@transaction.atomic
def save_assignment(
    request: HttpRequest, assignment: BudgetAssignment, based_on_version: int | None
) -> BudgetAssignment:
    if assignment.pk is None:
        assignment.save()
        record_change(request, Action.CREATE, assignment, None, changed=["*"])
    else:
        save_if_current(assignment, based_on_version or 0, FIELDS)
        record_change(request, Action.UPDATE, assignment, None, changed=FIELDS)
    return assignment


@transaction.atomic
def add_note(request: HttpRequest, note: MeetingNote) -> MeetingNote:
    note.created_by = request.user  # type: ignore[assignment]
    note.save()
    record_change(request, Action.CREATE, note, None, changed=["*"])
    return note
