"""What the scheduled jobs do: plain functions, each returning a small JSON summary.

Kept apart from the job runner (brygga/jobs/tasks.py) so they can be called and tested
directly. None of them returns anything about a person: the summary is shown to administrators.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone

from brygga.audit import retention as audit_retention
from brygga.cases.models import Case, Phase
from brygga.retention import services as retention
from brygga.support import services as support
from brygga.support.models import FollowUp, Task
from brygga.support.signals import signals_for_cases

CHUNK = 500


def gallring(today: datetime.date) -> dict[str, Any]:
    """Retention (gallring): remove the cases the rules say are due today, then the audit rows
    older than the log's own retention period (behind a sealed anchor, decision 0092)."""
    result = retention.run(today)
    audit = audit_retention.remove_old_rows(today)
    return {"removed": result.removed, "refused": len(result.refused), "audit_rows": audit.removed}


def _open_case_ids() -> list[int]:
    return list(
        Case.objects.exclude(phase=Phase.CLOSED).order_by("pk").values_list("pk", flat=True)
    )


def nightly_recomputation(today: datetime.date) -> dict[str, Any]:
    """Re-plan the follow-ups of every open case from the day the person left protected housing
    (a changed date moves the unheld ones), and count the early-warning signals of the night.

    Signals are computed when a page is shown (decision 0031); the count is the night's check
    that every rule and registered source still runs over all open cases.
    """
    ids = _open_case_ids()
    replanned = 0
    cases = Case.objects.filter(pk__in=ids).select_related("owning_unit__administration")
    for case in cases.iterator(chunk_size=CHUNK):
        replanned += support.schedule_follow_ups(None, case)  # type: ignore[arg-type]
    kinds: Counter[str] = Counter()
    for start in range(0, len(ids), CHUNK):
        for signals in signals_for_cases(ids[start : start + CHUNK], today).values():
            kinds.update(signal.kind for signal in signals)
    return {"open_cases": len(ids), "follow_ups_changed": replanned, "signals": dict(kinds)}


def reminders(today: datetime.date) -> dict[str, Any]:
    """What is due: follow-ups in the coming week and tasks past their date, per unit.

    Brygga has no e-mail or push channel yet: each worker sees the same on their to-do list,
    and this summary tells the administrator that the night's figures were computed.
    """
    week = today + datetime.timedelta(days=7)
    follow_ups = Counter(
        FollowUp.objects.filter(held_on__isnull=True, planned_on__range=(today, week))
        .exclude(case__phase=Phase.CLOSED)
        .values_list("case__owning_unit_id", flat=True)
    )
    tasks = Counter(
        Task.objects.filter(done_at__isnull=True, due_on__lt=today)
        .exclude(case__phase=Phase.CLOSED)
        .values_list("case__owning_unit_id", flat=True)
    )
    return {
        "follow_ups_this_week": sum(follow_ups.values()),
        "tasks_overdue": sum(tasks.values()),
        "units": len(set(follow_ups) | set(tasks)),
    }


def local_today() -> datetime.date:
    return timezone.localdate()
