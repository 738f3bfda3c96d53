"""State changes of the case history: each atomic, each writing its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.audit.log import record_change
from brygga.audit.models import Action
from brygga.cases import events, rules
from brygga.cases.models import (
    Case,
    OutcomeEvent,
    Phase,
    PhaseChange,
    PhaseReason,
    ProtectedHousingStay,
    RiskAssessment,
    RiskScenario,
)
from brygga.lib.versioning import save_if_current


class StayRuleError(ValueError):
    """A stay the rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def change_phase(
    request: HttpRequest,
    case: Case,
    phase: str,
    on: datetime.date,
    *,
    expected_current: str | None = None,
    today: datetime.date | None = None,
    reason: str = PhaseReason.CHOSEN,
) -> PhaseChange:
    """Move the case to `phase` from `on`. Closing sets closed_on; re-opening clears it.

    `expected_current` is the phase the form showed: if someone changed it meanwhile the
    change is refused rather than silently applied on top.
    """
    locked = _locked(case)
    if expected_current is not None and locked.phase != expected_current:
        raise rules.PhaseRuleError(
            _("Någon annan har just ändrat fasen till %(phase)s. Kontrollera och försök igen.")
            % {"phase": Phase(locked.phase).label}
        )
    changes = list(locked.phase_changes.order_by("-entered_on", "-pk")[:1])
    rules.check_phase_change(
        current=locked.phase,
        new=phase,
        on=on,
        opened_on=locked.opened_on,
        latest_change_on=changes[0].entered_on if changes else None,
        today=today or timezone.localdate(),
    )
    user = _user(request)
    if not changes:
        # Keep the history complete: the phase the case had since it was opened.
        PhaseChange.objects.create(case=locked, phase=locked.phase, entered_on=locked.opened_on)
    change = PhaseChange.objects.create(
        case=locked, phase=phase, entered_on=on, created_by=user, reason=reason
    )
    locked.phase = phase
    # Closing dates the closure; any open phase (a re-opened case too) has no closing date.
    locked.closed_on = on if phase == Phase.CLOSED else None
    locked.version += 1
    locked.save(update_fields=["phase", "closed_on", "version", "updated_at"])
    case.phase, case.closed_on, case.version = locked.phase, locked.closed_on, locked.version
    record_change(
        request, Action.CREATE, change, case.person_id, changed=["phase", "entered_on", "reason"]
    )
    return change


def _check_stay(
    case: Case,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    today: datetime.date,
    exclude_pk: int | None = None,
) -> None:
    if started_on > today:
        raise StayRuleError(_("Inflyttningen kan inte ligga i framtiden."), "started_on")
    if ended_on is not None and ended_on > today:
        raise StayRuleError(_("Utflyttningen kan inte ligga i framtiden."), "ended_on")
    if ended_on is not None and ended_on < started_on:
        raise StayRuleError(_("Utflyttningen kan inte ligga före inflyttningen."), "ended_on")
    far_future = datetime.date.max
    others = case.stays.only("started_on", "ended_on")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        other_end = other.ended_on or far_future
        own_end = ended_on or far_future
        if started_on <= other_end and other.started_on <= own_end:
            raise StayRuleError(
                _("Vistelsen överlappar en annan vistelse (från %(date)s).")
                % {"date": other.started_on.isoformat()},
                "started_on",
            )


def _refresh_left_protected_housing(request: HttpRequest, case: Case, before: Any) -> None:
    """Keep the exit date on the case; when it changed, tell the apps that plan from it."""
    stays = list(case.stays.values_list("started_on", "ended_on"))
    left = rules.left_protected_housing_on(stays)
    Case.objects.filter(pk=case.pk).update(left_protected_housing_on=left)
    case.left_protected_housing_on = left
    if left != before:
        events.exit_date_changed.send(
            sender=Case, request=request, case=case, before=before, after=left
        )


def _follow_move_out(
    request: HttpRequest, case: Case, current: str, today: datetime.date
) -> PhaseChange | None:
    """A recorded move-out moves a case in protected housing on to moving out, from the day
    of the move (`case.phase` follows). Nothing happens when the phase rules refuse that day
    (e.g. it lies before the latest phase change): the worker then changes the phase by hand."""
    left_on = case.left_protected_housing_on
    phase = rules.phase_after_move_out(current, left_on)
    if phase is None or left_on is None:
        return None
    try:
        return change_phase(request, case, phase, left_on, today=today, reason=PhaseReason.MOVE_OUT)
    except rules.PhaseRuleError:
        return None


@transaction.atomic
def add_stay(
    request: HttpRequest,
    case: Case,
    provider: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    *,
    today: datetime.date | None = None,
) -> ProtectedHousingStay:
    locked = _locked(case)
    _check_stay(locked, started_on, ended_on, today or timezone.localdate())
    stay = ProtectedHousingStay.objects.create(
        case=locked,
        provider=provider,
        started_on=started_on,
        ended_on=ended_on,
        created_by=_user(request),
    )
    _refresh_left_protected_housing(request, case, locked.left_protected_housing_on)
    record_change(request, Action.CREATE, stay, case.person_id, changed=["*"])
    _follow_move_out(request, case, locked.phase, today or timezone.localdate())
    return stay


@transaction.atomic
def update_stay(
    request: HttpRequest,
    stay: ProtectedHousingStay,
    provider: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    *,
    based_on_version: int,
    today: datetime.date | None = None,
) -> ProtectedHousingStay:
    """Raises StaleEdit when someone else saved the stay after this edit began."""
    case = stay.case
    locked = _locked(case)
    _check_stay(locked, started_on, ended_on, today or timezone.localdate(), exclude_pk=stay.pk)
    changed = [
        name
        for name, value in (
            ("provider", provider),
            ("started_on", started_on),
            ("ended_on", ended_on),
        )
        if getattr(stay, name) != value
    ]
    stay.provider, stay.started_on, stay.ended_on = provider, started_on, ended_on
    save_if_current(stay, based_on_version, update_fields=["provider", "started_on", "ended_on"])
    _refresh_left_protected_housing(request, case, locked.left_protected_housing_on)
    record_change(request, Action.UPDATE, stay, case.person_id, changed=changed)
    _follow_move_out(request, case, locked.phase, today or timezone.localdate())
    return stay


@transaction.atomic
def record_risk_assessment(
    request: HttpRequest,
    case: Case,
    *,
    instrument: str,
    instrument_other: str,
    assessed_on: datetime.date,
    next_review_on: datetime.date,
    scenarios: Sequence[tuple[str, str]],
) -> RiskAssessment:
    if not scenarios:
        raise ValueError("a risk assessment needs at least one scenario")
    assessment = RiskAssessment.objects.create(
        case=case,
        instrument=instrument,
        instrument_other=instrument_other,
        assessed_on=assessed_on,
        next_review_on=next_review_on,
        created_by=_user(request),
    )
    RiskScenario.objects.bulk_create(
        RiskScenario(assessment=assessment, scenario=text, level=level) for text, level in scenarios
    )
    record_change(request, Action.CREATE, assessment, case.person_id, changed=["*"])
    return assessment


@transaction.atomic
def record_outcome(
    request: HttpRequest, case: Case, *, kind: str, occurred_on: datetime.date, note: str
) -> OutcomeEvent:
    event = OutcomeEvent.objects.create(
        case=case, kind=kind, occurred_on=occurred_on, note=note, created_by=_user(request)
    )
    record_change(request, Action.CREATE, event, case.person_id, changed=["*"])
    return event
