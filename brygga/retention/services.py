"""Finding the cases the retention rules remove, and removing them (gallring).

The last entry in a case is the latest `created_at` or `updated_at` of the case and of every
record that points to it (found by walking the case's relations, so records added by new apps
count without changes here). A removal runs in one transaction per case: the case and
everything that cascades from it, their change history, the person when no other case of
theirs remains, a non-personal tombstone, and one audit event. Running it twice removes
nothing more: a removed case is gone.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case, Phase
from brygga.journal.models import JournalNote
from brygga.people.models import Person
from brygga.retention import rules
from brygga.retention.models import LegalHold, Tombstone

ENTRY_FIELDS = ("created_at", "updated_at")
SYSTEM_USERNAME = "gallring"


def _case_relations() -> list[tuple[type[models.Model], str]]:
    """(model, name of its foreign key to Case) for every model that points to a case."""
    found = []
    for relation in Case._meta.related_objects:
        model = relation.related_model
        if isinstance(model, type) and not model._meta.proxy and not relation.many_to_many:
            found.append((model, relation.field.name))
    return found


def _as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def last_entries(cases: models.QuerySet[Case]) -> dict[int, datetime.date]:
    """The day of the last entry of each case; one query per kind of record."""
    latest: dict[int, datetime.date] = {}

    def note(case_id: int, value: datetime.date | datetime.datetime | None) -> None:
        day = _as_date(value)
        if day is not None and (case_id not in latest or day > latest[case_id]):
            latest[case_id] = day

    for row in cases.values("pk", "opened_on", "closed_on", "created_at", "updated_at"):
        for key in ("opened_on", "closed_on", "created_at", "updated_at"):
            note(row["pk"], row[key])
    for model, fk in _case_relations():
        names = {f.name for f in model._meta.concrete_fields}
        stamps = [name for name in ENTRY_FIELDS if name in names]
        if not stamps:
            continue
        rows = (
            model._default_manager.filter(**{f"{fk}__in": cases.values("pk")})
            .values(fk)
            .annotate(**{f"last_{name}": Max(name) for name in stamps})
        )
        for row in rows:
            for name in stamps:
                note(row[fk], row[f"last_{name}"])
    return latest


@dataclass
class Candidate:
    case_id: int
    unit_id: int
    opened_on: datetime.date
    last_entry: datetime.date
    verdict: rules.Verdict


@dataclass
class Review:
    """What the rules say today, per unit: to be removed, and kept with the reason."""

    today: datetime.date
    due: dict[int, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    kept: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    @property
    def due_count(self) -> int:
        return sum(len(cases) for cases in self.due.values())


def review(today: datetime.date | None = None) -> Review:
    """Every closed case, judged by the rules. Reads only."""
    today = today or timezone.localdate()
    closed = Case.objects.filter(phase=Phase.CLOSED)
    latest = last_entries(closed)
    held = set(LegalHold.objects.in_force().values_list("case_id", flat=True))
    result = Review(today=today)
    cases = closed.select_related("person").only(
        "pk", "owning_unit_id", "opened_on", "phase", "person__identity_number"
    )
    for case in cases.order_by("owning_unit_id", "pk").iterator(chunk_size=500):
        last = latest.get(case.pk, case.opened_on)
        judged = rules.verdict(
            today=today,
            last_entry=last,
            is_open=case.is_open,
            identity_digits=case.person.identity_number,
            on_legal_hold=case.pk in held,
        )
        if judged.remove:
            result.due[case.owning_unit_id].append(
                Candidate(case.pk, case.owning_unit_id, case.opened_on, last, judged)
            )
        else:
            result.kept[case.owning_unit_id][judged.reason] += 1
    return result


class Refused(Exception):
    """The case could not be removed (another record protects it); nothing was changed."""


def _history_models() -> Iterable[type[models.Model]]:
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "instance_type"):
            yield model


def _remove_history(case_ids: list[int], person_ids: list[int]) -> int:
    """Change-history rows (django-simple-history) of the removed records."""
    removed = 0
    for model in _history_models():
        original = model.instance_type  # type: ignore[attr-defined]
        names = {f.name for f in model._meta.concrete_fields}
        query = models.Q(pk__in=[])
        if original is Case:
            query |= models.Q(id__in=case_ids)
        if original is Person:
            query |= models.Q(id__in=person_ids)
        if "case" in names:
            query |= models.Q(case_id__in=case_ids)
        if "person" in names:
            query |= models.Q(person_id__in=person_ids)
        removed += model._default_manager.filter(query).delete()[0]
    return removed


def _delete_journal(case: Case) -> None:
    """Corrections point to the notes they correct (PROTECT): remove the newest links first."""
    notes = JournalNote.objects.filter(case=case)
    while notes.exists():
        leaves = notes.exclude(pk__in=notes.filter(corrects__isnull=False).values("corrects_id"))
        leaves.delete()


def _counts(case: Case) -> dict[str, int]:
    counts = {}
    for model, fk in _case_relations():
        count = model._default_manager.filter(**{fk: case}).count()
        if count:
            counts[model._meta.label] = count
    return counts


def remove_case(candidate: Candidate, *, today: datetime.date) -> Tombstone:
    """Remove one case for good, leave a tombstone and one audit event. Atomic."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("person").get(pk=candidate.case_id)
        if LegalHold.objects.in_force().filter(case=case).exists():
            raise Refused("legal_hold")
        person = case.person
        counts = _counts(case)
        tombstone = Tombstone.objects.create(
            unit_id=case.owning_unit_id,
            opened_year=case.opened_on.year,
            closed_year=case.closed_on.year if case.closed_on else None,
            last_entry_year=candidate.last_entry.year,
            removed_on=today,
            counts=counts,
        )
        record(
            None,
            Action.RETENTION,
            username=SYSTEM_USERNAME,
            person_id=person.pk,
            obj=case,
            detail={
                "tombstone": tombstone.pk,
                "unit": case.owning_unit_id,
                "last_entry": candidate.last_entry.isoformat(),
                "rule": "SoL 12:1",
            },
        )
        case_id = case.pk
        try:
            LegalHold.objects.filter(case=case, lifted_on__isnull=False).delete()
            _delete_journal(case)
            case.delete()
            person_ids = []
            if not Case.objects.filter(person=person).exists():
                person_ids = [person.pk]
                person.delete()
        except ProtectedError as exc:
            labels = sorted({obj._meta.label for obj in exc.protected_objects})
            raise Refused("protected:" + ",".join(labels)) from exc
        _remove_history([case_id], person_ids)
        return tombstone


@dataclass
class RunResult:
    removed: int = 0
    refused: dict[int, str] = field(default_factory=dict)


def run(today: datetime.date | None = None) -> RunResult:
    """Remove every case that is due today. Safe to run again: removed cases are gone."""
    judged = review(today)
    result = RunResult()
    for candidates in judged.due.values():
        for candidate in candidates:
            try:
                remove_case(candidate, today=judged.today)
            except Refused as refused:
                result.refused[candidate.case_id] = str(refused)
            else:
                result.removed += 1
    return result
