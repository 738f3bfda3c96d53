"""Helpers for the housing tests: a flat in a unit, a granted housing decision on a case."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from brygga.cases.models import Case
from brygga.housing.models import Allocation, Flat, FlatKind
from brygga.organisation.models import Unit
from brygga.support.models import InterventionStatus
from tests.support.conftest import intervention

DAY = datetime.timedelta(days=1)
ADDRESS = "Hemliga gatan 7, 999 99 Fiktivstad"
_labels = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def flat(unit: Unit, kind: str = FlatKind.TRANSITIONAL, **kwargs: object) -> Flat:
    values = {
        "district": unit.administration,
        "holding_unit": unit,
        "kind": kind,
        "label": f"GB-TEST-{next(_labels):03d}",
        "landlord": "SHIS Bostäder",
        "available_from": today() - 400 * DAY,
        "address": ADDRESS,
    }
    values.update(kwargs)
    return Flat.objects.create(**values)


def decision(case: Case, type_name: str = "Genomgångsbostad (SHIS)", **kwargs: object):
    kwargs.setdefault("period_start", today() - 30 * DAY)
    kwargs.setdefault("period_end", today() + 300 * DAY)
    return intervention(case, type_name, InterventionStatus.GRANTED, **kwargs)


def allocated(flat_: Flat, case: Case, starts_on: datetime.date, **kwargs: object) -> Allocation:
    return Allocation.objects.create(
        flat=flat_, case=case, intervention=decision(case), starts_on=starts_on, **kwargs
    )
