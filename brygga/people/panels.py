"""The protected-details card on the case page: always masked there; revealing is a click away."""

from __future__ import annotations

from django.http import HttpRequest

from brygga.access.protection import ShieldedDetails
from brygga.cases.models import Case
from brygga.cases.panels import Panel
from brygga.people.models import ProtectedDetails


def protected_details_panel(request: HttpRequest, case: Case) -> Panel:
    details = ProtectedDetails.objects.filter(person_id=case.person_id).first()
    return Panel(
        template="people/_protected_panel.html",
        order=10,
        context={
            "case": case,
            # Masked on the case page even for those who may reveal: reveal is explicit.
            "details": ShieldedDetails(case.person, details, revealed=False),
        },
    )
