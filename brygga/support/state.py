"""The precomputed state of each case (CaseState, CaseAreaState), kept up to date on save.

The manager's pages read the state of thousands of open cases on every view: the latest level
of each need area, who carries it and until when, the latest contact, the next follow-up, the
risk review date. Computing those from the records on every view cost seconds at 100 000
persons; they are computed here instead, whenever a record they come from changes, in the
same transaction (docs/decisions/0120).

- `refresh(case_ids)` recomputes the rows of some cases (a few queries whatever they hold);
  model signals call it after every save or delete of an assessment, intervention, task,
  follow-up, risk assessment or journal note, and after a new case; the services call it
  after their bulk writes (which send no signals). A service that writes several records of
  a case at once does so inside `batched()`, which recomputes each case once, at its end.
- `rebuild()` recomputes every case, in bulk: the command `rebuild_case_state`, the data
  migration and `seed_demo` (whose loaders send no signals either).

Only dates and levels are stored, never a verdict that depends on today's date: the pages
compare the dates with today, so a row stays right while nothing changes.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet

from brygga.cases.models import Case, RiskAssessment
from brygga.lib import bulk
from brygga.support.areas import CORE_AREAS
from brygga.support.models import (
    CARRIED_WITHOUT_END,
    CARRYING_STATUSES,
    Assessment,
    CaseAreaState,
    CaseState,
    FollowUp,
    Intervention,
    Task,
)

CORE = [area.value for area in CORE_AREAS]


def _scoped(qs: QuerySet[Any], case_ids: Collection[int] | None) -> QuerySet[Any]:
    return qs if case_ids is None else qs.filter(case_id__in=list(case_ids))


def compute(case_ids: Collection[int] | None) -> tuple[list[CaseState], list[CaseAreaState]]:
    """The state rows of these cases (None: every case), unsaved: seven queries."""
    cases = Case.objects.order_by("pk")
    ids = list(
        (cases if case_ids is None else cases.filter(pk__in=list(case_ids))).values_list(
            "pk", flat=True
        )
    )
    areas: dict[tuple[int, str], dict[str, Any]] = {}
    for case_id in ids:
        for area in CORE:
            areas[case_id, area] = {}
    # Oldest first within each case and area, so the last row seen is the latest (ties on a
    # date: the later round, as rules.latest_levels and the need_worse signal decide).
    assessments = _scoped(Assessment.objects.all(), case_ids).order_by(
        "case_id", "area", "assessed_on", "round_id"
    )
    for case_id, area, on, level in assessments.values_list(
        "case_id", "area", "assessed_on", "worker_level"
    ):
        row = areas.setdefault((case_id, area), {})
        row["previous_level"] = row.get("level")
        row["level"], row["assessed_on"] = level, on
    carrying = _scoped(Intervention.objects.all(), case_ids).filter(status__in=CARRYING_STATUSES)
    for case_id, area, end in carrying.values_list("case_id", "area", "period_end"):
        _carry(areas, case_id, area, end or CARRIED_WITHOUT_END)
    owned = (
        _scoped(Task.objects.all(), case_ids).filter(done_at__isnull=True).exclude(actor_kind="")
    )
    for case_id, area in owned.values_list("case_id", "area"):
        _carry(areas, case_id, area, CARRIED_WITHOUT_END)

    facts: dict[int, dict[str, Any]] = {case_id: {} for case_id in ids}
    reached = Q(held_on__isnull=False) & (Q(contact_made__isnull=True) | Q(contact_made=True))
    follow_ups = (
        _scoped(FollowUp.objects.all(), case_ids)
        .values("case_id")
        .annotate(
            next_on=Min("planned_on", filter=Q(held_on__isnull=True)),
            held=Max("held_on", filter=reached),
        )
        .order_by()
    )
    for row in follow_ups:
        fact = facts.setdefault(row["case_id"], {})
        fact["next_follow_up_on"] = row["next_on"]
        fact["last_contact_on"] = row["held"]
    note_model = apps.get_model("journal", "JournalNote")
    notes = (
        _scoped(note_model.objects.all(), case_ids)
        .filter(signed_at__isnull=False)
        .values("case_id")
        .annotate(last=Max("written_on"))
        .order_by()
    )
    for row in notes:
        fact = facts.setdefault(row["case_id"], {})
        held = fact.get("last_contact_on")
        fact["last_contact_on"] = row["last"] if held is None else max(held, row["last"])
    # The latest risk assessment by date, then id (as the risk-review signal decides).
    risks = _scoped(RiskAssessment.objects.all(), case_ids).order_by("case_id", "assessed_on", "pk")
    for case_id, review_on in risks.values_list("case_id", "next_review_on"):
        facts.setdefault(case_id, {})["risk_review_on"] = review_on

    known = set(ids)
    states = [
        bulk.new(CaseState, case_id=case_id, **values)
        for case_id, values in facts.items()
        if case_id in known
    ]
    area_states = [
        bulk.new(CaseAreaState, case_id=case_id, area=area, **values)
        for (case_id, area), values in sorted(areas.items())
        if case_id in known
    ]
    return states, area_states


def _carry(
    areas: dict[tuple[int, str], dict[str, Any]], case_id: int, area: str, until: datetime.date
) -> None:
    row = areas.get((case_id, area))
    if row is None:
        return  # neither assessed nor a core need: no gap to close, no row to keep
    current = row.get("carried_until")
    row["carried_until"] = until if current is None else max(current, until)


# The case ids collected by the innermost `batched()` block of this thread (a stack: blocks nest).
_batches = threading.local()


def _open_batches() -> list[set[int]]:
    stack: list[set[int]] | None = getattr(_batches, "stack", None)
    if stack is None:
        stack = _batches.stack = []
    return stack


@contextmanager
def batched() -> Iterator[None]:
    """A transaction in which saving several records of a case recomputes its state once.

    Inside the block, `refresh` (and so every save or delete signal) only notes the case; at
    the end of the block the noted cases are recomputed once each, still inside the same
    transaction, so a read after the block (and the commit) sees the state of every record.
    Code inside the block must not read the state of a case it changed there. A block inside
    another leaves its cases to the outer one. If the block raises, nothing is recomputed
    (its transaction is rolled back)."""
    stack = _open_batches()
    with transaction.atomic():
        ids: set[int] = set()
        stack.append(ids)
        try:
            yield
        finally:
            stack.pop()
        if stack:
            stack[-1].update(ids)
        else:
            _refresh_now(ids)


def refresh(case_ids: Iterable[int]) -> None:
    """Recompute the state of these cases, in the caller's transaction (inside `batched()`:
    at the end of the block, once per case)."""
    stack = _open_batches()
    if stack:
        stack[-1].update(case_ids)
        return
    _refresh_now(case_ids)


@transaction.atomic
def _refresh_now(case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    if not ids:
        return
    states, area_states = compute(ids)
    CaseState.objects.filter(case_id__in=ids).delete()
    CaseAreaState.objects.filter(case_id__in=ids).delete()
    CaseState.objects.bulk_create(states)
    CaseAreaState.objects.bulk_create(area_states)


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Recompute the state of every case, in bulk (no per-row saves); returns the row counts."""
    states, area_states = compute(None)
    CaseState.objects.all().delete()
    CaseAreaState.objects.all().delete()
    bulk.insert(CaseState, states)
    bulk.insert(CaseAreaState, area_states)
    return len(states), len(area_states)


# --- Kept up to date on save: the records each row is computed from.

SOURCES = (
    "support.Assessment",
    "support.Intervention",
    "support.Task",
    "support.FollowUp",
    "cases.RiskAssessment",
    "journal.JournalNote",
)


def _record_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    refresh([instance.case_id])


def _record_deleted(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    # Deleting a case (or its person) deletes its records and its state rows with it: a
    # refresh in the middle of that would write the rows again for a case about to go.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    meta = getattr(origin_model, "_meta", None)
    if meta is not None and meta.label in {"cases.Case", "people.Person"}:
        return
    refresh([instance.case_id])


def _case_saved(sender: Any, instance: Case, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        refresh([instance.pk])


def connect() -> None:
    """Connect the receivers (SupportConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    for label in SOURCES:
        uid = f"support.state.{label}"
        post_save.connect(_record_saved, sender=label, dispatch_uid=uid + ".save")
        post_delete.connect(_record_deleted, sender=label, dispatch_uid=uid + ".delete")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="support.state.case")
