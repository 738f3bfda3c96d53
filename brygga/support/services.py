"""State changes of the support model: each atomic, each writing its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from brygga.access import policy
from brygga.audit.log import record, record_change
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.lib.versioning import save_if_current
from brygga.support import rules, state
from brygga.support.models import (
    DECIDED_STATUSES,
    Assessment,
    AssessmentRound,
    DistrictRoute,
    FollowUp,
    FollowUpSchedule,
    Goal,
    ImplementationNote,
    Intervention,
    InterventionStatus,
    InterventionType,
    Task,
)


@transaction.atomic
def record_assessment_round(
    request: HttpRequest, case: Case, assessed_on: datetime.date, rows: Iterable[dict[str, Any]]
) -> AssessmentRound:
    round_ = AssessmentRound.objects.create(
        case=case,
        assessed_on=assessed_on,
        created_by=request.user,  # type: ignore[misc]
    )
    Assessment.objects.bulk_create(
        [Assessment(round=round_, case=case, assessed_on=assessed_on, **row) for row in rows]
    )
    state.refresh([case.pk])  # bulk_create sends no signals
    record_change(request, Action.CREATE, round_, case.person_id, changed=["*"])
    return round_


@transaction.atomic
def add_goal(request: HttpRequest, goal: Goal) -> Goal:
    goal.save()
    record_change(request, Action.CREATE, goal, goal.case.person_id, changed=["*"])
    return goal


def _apply_delegation(request: HttpRequest, intervention: Intervention, previous: str) -> None:
    """Decide within the worker's delegation, or send the decision to the unit manager."""
    wanted = intervention.status
    manager = policy.is_manager_of(request.user, intervention.case.owning_unit_id)
    if wanted == previous:
        return
    if rules.needs_manager_decision(
        intervention.type.needs_manager_decision, previous, wanted, manager
    ):
        intervention.requested_status = wanted
        intervention.status = InterventionStatus.AWAITING_MANAGER
        return
    if wanted in DECIDED_STATUSES:
        intervention.decision_maker = request.user  # type: ignore[assignment]
        intervention.decision_on = intervention.decision_on or timezone.localdate()
        intervention.requested_status = ""


# Changing these re-opens a decision; outside the worker's delegation it goes to the manager.
DECISION_FIELDS = frozenset({"period_start", "period_end", "legal_ground", "decision_on"})


def _changes_a_decision_outside_delegation(
    request: HttpRequest, intervention: Intervention, previous: str, changed: Iterable[str]
) -> bool:
    return bool(
        intervention.type.needs_manager_decision
        and previous in (InterventionStatus.GRANTED, InterventionStatus.ACTIVE)
        and intervention.status == previous
        and DECISION_FIELDS & set(changed)
        and not policy.is_manager_of(request.user, intervention.case.owning_unit_id)
    )


@transaction.atomic
def create_intervention(request: HttpRequest, intervention: Intervention) -> Intervention:
    intervention.area = intervention.type.area
    _apply_delegation(request, intervention, InterventionStatus.PLANNED)
    intervention.save()
    record_change(request, Action.CREATE, intervention, intervention.case.person_id, changed=["*"])
    return intervention


@transaction.atomic
def update_intervention(
    request: HttpRequest,
    intervention: Intervention,
    previous_status: str,
    based_on_version: int,
    changed: Iterable[str],
) -> Intervention:
    """Raises StaleEdit when someone else saved the intervention after the form was opened."""
    _apply_delegation(request, intervention, previous_status)
    if _changes_a_decision_outside_delegation(request, intervention, previous_status, changed):
        intervention.requested_status = previous_status
        intervention.status = InterventionStatus.AWAITING_MANAGER
    fields = sorted(
        set(changed) | {"status", "requested_status", "decision_maker", "decision_on", "area"}
    )
    intervention.area = intervention.type.area
    save_if_current(intervention, based_on_version, update_fields=fields)
    record_change(request, Action.UPDATE, intervention, intervention.case.person_id, fields)
    return intervention


@transaction.atomic
def decide_intervention(
    request: HttpRequest,
    intervention: Intervention,
    based_on_version: int,
    approve: bool,
    decision_on: datetime.date | None = None,
    legal_ground: str = "",
) -> Intervention:
    """The unit manager grants (as requested) or refuses a decision outside the delegation."""
    intervention.status = (
        intervention.requested_status or InterventionStatus.GRANTED
        if approve
        else InterventionStatus.REFUSED
    )
    intervention.requested_status = ""
    intervention.decision_maker = request.user  # type: ignore[assignment]
    intervention.decision_on = decision_on or timezone.localdate()
    fields = ["status", "requested_status", "decision_maker", "decision_on"]
    if legal_ground:
        intervention.legal_ground = legal_ground
        fields.append("legal_ground")
    save_if_current(intervention, based_on_version, update_fields=fields)
    record_change(request, Action.UPDATE, intervention, intervention.case.person_id, fields)
    return intervention


@transaction.atomic
def add_task(request: HttpRequest, task: Task) -> Task:
    task.created_by = request.user  # type: ignore[assignment]
    task.save()
    record_change(request, Action.CREATE, task, task.case.person_id, changed=["*"])
    return task


@transaction.atomic
def set_task_done(
    request: HttpRequest, task: Task, done: bool, based_on_version: int, note: str = ""
) -> Task:
    """Raises StaleEdit when someone else changed the task after the page was shown."""
    task.done_at = timezone.now() if done else None
    task.done_by = request.user if done else None  # type: ignore[assignment]
    fields = ["done_at", "done_by"]
    if done and note:
        task.done_note = note
        fields.append("done_note")
    save_if_current(task, based_on_version, update_fields=fields)
    record_change(request, Action.UPDATE, task, task.case.person_id, fields)
    return task


@transaction.atomic
def take_task(request: HttpRequest, task: Task) -> Task:
    """Take a task from the unit queue ("Ta uppgiften"): it is now the user's."""
    task.taken_by = request.user  # type: ignore[assignment]
    save_if_current(task, task.version, update_fields=["taken_by"])
    record_change(request, Action.UPDATE, task, task.case.person_id, ["taken_by"])
    return task


@transaction.atomic
def hand_back_task(request: HttpRequest, task: Task) -> Task:
    """Put a taken task back in its unit's queue."""
    task.taken_by = None
    save_if_current(task, task.version, update_fields=["taken_by"])
    record_change(request, Action.UPDATE, task, task.case.person_id, ["taken_by"])
    return task


@transaction.atomic
def add_implementation_note(request: HttpRequest, note: ImplementationNote) -> ImplementationNote:
    note.author = request.user  # type: ignore[assignment]
    note.save()
    record_change(request, Action.CREATE, note, note.case.person_id, changed=["*"])
    return note


def schedule_months(case: Case) -> list[int]:
    municipality_id = case.owning_unit.administration.municipality_id
    schedule = FollowUpSchedule.objects.filter(municipality_id=municipality_id).first()
    return rules.follow_up_months(schedule.months if schedule else None)


@transaction.atomic
def schedule_follow_ups(request: HttpRequest, case: Case) -> int:
    """Plan the follow-ups from the day the person left protected housing.

    Adds the missing ones and moves the dates of those not yet held. Returns how many changed.
    """
    plan = rules.follow_up_schedule(rules.left_protected_housing_on(case), schedule_months(case))
    existing = {f.months: f for f in FollowUp.objects.filter(case=case, months__isnull=False)}
    new, moved = [], []
    for months, planned_on in plan:
        current = existing.get(months)
        if current is None:
            new.append(FollowUp(case=case, months=months, planned_on=planned_on))
        elif current.held_on is None and current.planned_on != planned_on:
            current.planned_on = planned_on
            moved.append(current)
    FollowUp.objects.bulk_create(new)
    FollowUp.objects.bulk_update(moved, ["planned_on"])
    if new or moved:
        state.refresh([case.pk])
        record_change(request, Action.UPDATE, case, case.person_id, changed=["follow_ups"])
    return len(new) + len(moved)


@transaction.atomic
def replan_follow_ups(request: HttpRequest, case: Case) -> int:
    """Move the planned follow-ups to the corrected exit date; held ones stay where they were.

    Only follow-ups planned relative to leaving (with a number of months) move, and none is
    added (planning them stays the worker's step). Without an exit date nothing moves. Each
    moved follow-up is audited. Returns how many moved.
    """
    plan = dict(
        rules.follow_up_schedule(rules.left_protected_housing_on(case), schedule_months(case))
    )
    moved = []
    for follow_up in FollowUp.objects.filter(case=case, months__isnull=False, held_on__isnull=True):
        planned_on = plan.get(follow_up.months or 0)
        if planned_on is not None and planned_on != follow_up.planned_on:
            follow_up.planned_on = planned_on
            follow_up.version += 1
            moved.append(follow_up)
    FollowUp.objects.bulk_update(moved, ["planned_on", "version"])
    if moved:
        state.refresh([case.pk])
    for follow_up in moved:
        record_change(request, Action.UPDATE, follow_up, case.person_id, changed=["planned_on"])
    return len(moved)


def replan_on_exit_date_change(
    sender: Any, request: HttpRequest, case: Case, **kwargs: Any
) -> None:
    """Receiver of `cases.events.exit_date_changed`."""
    replan_follow_ups(request, case)


FOLLOW_UP_FIELDS = ("held_on", "contact_made", "participants", "note")


def latest_assessments(case: Case) -> dict[str, Assessment]:
    """The most recent assessment of each need area, to pre-fill a re-assessment (one query)."""
    latest: dict[str, Assessment] = {}
    for row in Assessment.objects.filter(case=case).order_by("assessed_on", "round_id"):
        latest[row.area] = row
    return latest


@transaction.atomic
def hold_follow_up(
    request: HttpRequest,
    follow_up: FollowUp,
    based_on_version: int,
    changed: Iterable[str],
    reassessment: list[dict[str, Any]],
) -> FollowUp:
    """Records a follow-up and its re-assessment together: both are saved, or neither.

    Raises StaleEdit when someone else saved the follow-up after the form was opened; the
    re-assessment is then rolled back with it.
    """
    # Save every field of the form: a pre-filled value (today's date) is not "changed" data.
    fields = set(FOLLOW_UP_FIELDS)
    changed = set(changed) - {"version"}
    # The re-assessment and the follow-up change the case's state: recomputed once, after both.
    with state.batched():
        if reassessment and follow_up.held_on:
            case = follow_up.case
            follow_up.assessment_round = record_assessment_round(
                request, case, follow_up.held_on, reassessment
            )
            fields.add("assessment_round")
            changed.add("assessment_round")
        save_if_current(follow_up, based_on_version, update_fields=sorted(fields))
    record_change(request, Action.UPDATE, follow_up, follow_up.case.person_id, sorted(changed))
    return follow_up


@transaction.atomic
def save_intervention_type(
    request: HttpRequest, item: InterventionType, changed: Iterable[str]
) -> InterventionType:
    created = item.pk is None
    item.save()
    record_change(
        request, Action.CREATE if created else Action.UPDATE, item, None, sorted(set(changed))
    )
    return item


@transaction.atomic
def save_route(request: HttpRequest, route: DistrictRoute, changed: Iterable[str]) -> DistrictRoute:
    created = route.pk is None
    route.save()
    record(
        request,
        Action.CREATE if created else Action.UPDATE,
        obj=route,
        detail={
            "fields": sorted(set(changed)),
            "district": route.district_id,
            "intervention_type": route.intervention_type_id,
        },
    )
    return route


@transaction.atomic
def remove_route(request: HttpRequest, route: DistrictRoute) -> None:
    """A route is configuration, not case data: removing it is allowed, and logged in full."""
    detail = {
        "removed": {
            "district": route.district_id,
            "intervention_type": route.intervention_type_id,
            "deciding_unit": route.deciding_unit_id,
            "carrying_unit": route.carrying_unit_id,
            "owner_role": route.owner_role,
            "owner_unit": route.owner_unit_id,
        }
    }
    record(request, Action.UPDATE, obj=route, detail=detail)
    route.delete()
