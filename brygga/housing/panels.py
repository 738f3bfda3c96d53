"""The housing section of the case page: the flats the case holds or held, and its waits."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from brygga.access import policy
from brygga.cases.models import Case
from brygga.cases.panels import Panel
from brygga.housing import rules
from brygga.housing.models import Allocation, WaitingEntry


def housing_panel(request: HttpRequest, case: Case) -> Panel | None:
    """Two queries; never an address (that is on the audited reveal page)."""
    today = timezone.localdate()
    allocations = list(
        Allocation.objects.filter(case=case).select_related("flat__district", "intervention__type")
    )
    waits = list(
        WaitingEntry.objects.filter(case=case, left_on__isnull=True).select_related("district")
    )
    for wait in waits:
        wait.days = rules.waiting_days(wait.since, today)  # type: ignore[attr-defined]
    return Panel(
        template="housing/_panel.html",
        order=25,
        context={
            "case": case,
            "allocations": allocations,
            "waits": waits,
            "may_change": policy.access_for(request, case).may_change,
        },
    )
