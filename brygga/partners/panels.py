"""The case page's section on consents, referrals and contact persons."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from brygga.access import policy
from brygga.cases.models import Case
from brygga.cases.panels import Panel
from brygga.partners import queries


def partners_panel(request: HttpRequest, case: Case) -> Panel:
    """Three queries, plus one for the feedback of all referrals."""
    access = policy.access_for(request, case)
    context = queries.case_partner_data(case)
    context.update(
        case=case,
        today=timezone.localdate(),
        may_change=access.may_change,
        may_assign=policy.may_assign_contact_person(access),
    )
    return Panel(template="partners/_panel.html", order=25, context=context)
