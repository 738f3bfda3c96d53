"""Which audit events a unit manager may review (loggkontroll).

Kept in `access` because it needs cases; `brygga.audit` itself never imports a domain app.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from brygga.cases.models import Case


def person_ids_owned_by_units(unit_ids: Collection[int]) -> QuerySet[Case, int]:
    """The persons whose cases these units own, as a subquery (no query of its own)."""
    return Case.objects.filter(owning_unit_id__in=list(unit_ids)).values_list(
        "person_id", flat=True
    )
