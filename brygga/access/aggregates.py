"""The raw rows that city-wide aggregates are computed from, for roles that see aggregates only.

The network role and statisticians never see a row about a person: they get pages of
disclosure-controlled figures computed from these querysets (brygga/stats/disclosure.py).
Anyone else gets nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from brygga.cases.models import Case
from brygga.organisation.models import Administration, Role
from brygga.organisation.roles import has_role

AGGREGATE_ROLES = (Role.NETWORK, Role.STATISTICIAN)


def cases_for_aggregates(user: Any) -> QuerySet[Case]:
    if not has_role(user, *AGGREGATE_ROLES):
        return Case.objects.none()
    return Case.objects.filter(owning_unit__administration__kind=Administration.Kind.DISTRICT)
