"""An early-warning signal from the housing queue: waiting longer than the district's norm.

Registered with brygga.support.signals in HousingConfig.ready(); one query whatever the
number of cases. The rule itself is rules.overdue_waits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from brygga.cases.models import Phase
from brygga.housing import rules
from brygga.housing.models import FlatKind, WaitingEntry, WaitingNorm
from brygga.support.signals import WARNING, CaseIds, Signal, scope

KIND = "housing_wait_over_norm"


def housing_wait_signals(case_ids: CaseIds, today: datetime.date) -> Iterable[Signal]:
    norm = WaitingNorm.objects.filter(
        district_id=OuterRef("district_id"), kind=OuterRef("kind")
    ).values("days")[:1]
    waits = list(
        WaitingEntry.objects.filter(case_id__in=scope(case_ids), left_on__isnull=True)
        .exclude(case__phase=Phase.CLOSED)
        .annotate(norm=Subquery(norm))
        .values_list("case_id", "district_id", "kind", "since", "norm")
    )
    norms = {(w[1], w[2]): w[4] for w in waits if w[4] is not None}
    facts = [rules.WaitFact(*w[:4]) for w in waits]
    labels = dict(FlatKind.choices)
    return [
        Signal(
            case_id=wait.case_id,
            kind=KIND,
            severity=WARNING,
            explanation=_(
                "Har väntat på %(kind)s i %(days)s dagar, längre än stadsdelens norm "
                "(%(norm)s dagar)."
            )
            % {"kind": str(labels[wait.kind]).lower(), "days": days, "norm": norm},
            since=wait.since + datetime.timedelta(days=norm + 1),
        )
        for wait, days, norm in rules.overdue_waits(facts, norms, today)
    ]
