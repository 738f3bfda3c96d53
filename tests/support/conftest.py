"""Helpers for the support model's tests: assessments, interventions, tasks, follow-ups."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brygga.cases.models import Case
from brygga.support.models import (
    ActorKind,
    Assessment,
    AssessmentRound,
    FollowUp,
    Intervention,
    InterventionType,
    Task,
)


def today() -> datetime.date:
    return timezone.localdate()


def assess(case: Case, on: datetime.date, **levels: int) -> AssessmentRound:
    round_ = AssessmentRound.objects.create(case=case, assessed_on=on)
    for area, level in levels.items():
        Assessment.objects.create(
            round=round_, case=case, assessed_on=on, area=area, worker_level=level
        )
    return round_


def catalogue(name: str) -> InterventionType:
    return InterventionType.objects.get(name=name)


def intervention(case: Case, type_name: str, status: str, **kwargs: object) -> Intervention:
    kind = catalogue(type_name)
    return Intervention.objects.create(
        case=case,
        type=kind,
        area=kind.area,
        status=status,
        actor_kind=ActorKind.ORGANISATION,
        actor_organisation="Bostadsförmedlingen",
        **kwargs,
    )


def task(case: Case, area: str, *, organisation: str = "", **kwargs: object) -> Task:
    if organisation:
        kwargs.update(actor_kind=ActorKind.ORGANISATION, actor_organisation=organisation)
    return Task.objects.create(case=case, area=area, title="Ställa sig i bostadskön", **kwargs)


def follow_up(case: Case, planned_on: datetime.date, **kwargs: object) -> FollowUp:
    return FollowUp.objects.create(case=case, planned_on=planned_on, **kwargs)
