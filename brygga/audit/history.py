"""Change history of a case and its person, from django-simple-history, as field diffs.

Encrypted fields are stored encrypted in the history tables too; their values are never shown,
only that they changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedFieldMixin

ENCRYPTED_CHANGED = _("(krypterat värde ändrat)")
NAME_FIELDS = frozenset({"first_name", "last_name"})
NAME_HIDDEN = _("(namnändring dold: fingerade personuppgifter)")
KINDS = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class Entry:
    at: Any
    subject: str
    kind: str
    who: str
    changes: list[Change] = field(default_factory=list)


def _records(manager: Any) -> list[Any]:
    return list(manager.select_related("history_user").order_by("history_date", "history_id"))


def _display(model_field: models.Field, value: Any, related: dict[Any, dict[Any, str]]) -> Any:
    if isinstance(model_field, EncryptedFieldMixin):
        return ENCRYPTED_CHANGED
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        return related.get(model_field.related_model, {}).get(value, f"#{value}")
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return value


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return "–"
    return user.get_full_name() or user.username


def _with_deltas(records: list[Any]) -> list[tuple[Any, Any]]:
    """(record, its diff against the record before it, or None for the first)."""
    out = []
    previous = None
    for record in records:
        out.append((record, record.diff_against(previous) if previous is not None else None))
        previous = record
    return out


# Plan items with a change history, by model label. Looked up by name: the audit app must not
# import the domain apps (see the import-linter contracts).
PLAN_ITEMS = [("support.Intervention", _("Insats")), ("support.Task", _("Uppgift"))]


def _plan_item_pairs(case: Any) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """One history query per plan-item model; deltas are taken per item."""
    pairs = []
    for label, noun in PLAN_ITEMS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        by_item: dict[Any, list[Any]] = defaultdict(list)
        for record in _records(model.history.filter(case_id=case.pk)):
            by_item[record.id].append(record)
        for item_id, records in sorted(by_item.items()):
            pairs.append((f"{noun} {item_id}", _with_deltas(records)))
    return pairs


def entries(case: Any) -> list[Entry]:
    """Newest first. Queries: one per history table, plus one per related model named in a
    changed foreign key (constant, whatever the history's length)."""
    pairs = [
        (str(_("Ärendet")), _with_deltas(_records(case.history))),
        (str(_("Personen")), _with_deltas(_records(case.person.history))),
    ]
    pairs += _plan_item_pairs(case)
    # Resolve changed foreign keys to names, one query per related model.
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for _subject, items in pairs:
        for record, delta in items:
            for change in delta.changes if delta else ():
                model_field = record.instance_type._meta.get_field(change.field)
                if model_field.is_relation:
                    wanted[model_field.related_model].update({change.old, change.new} - {None})
    related = {
        model: {
            obj.pk: getattr(obj, "name", None) or str(obj)
            for obj in model._default_manager.filter(pk__in=ids)
        }
        for model, ids in wanted.items()
    }
    # With fingerade personuppgifter, old and new names side by side would tie the cover
    # identity to the real one.
    hide_names = case.person.protection_level == "fingerade_personuppgifter"
    result = []
    for subject, items in pairs:
        for record, delta in items:
            entry = Entry(
                record.history_date,
                subject,
                str(KINDS.get(record.history_type, record.history_type)),
                _who(record),
            )
            for change in delta.changes if delta else ():
                model_field = record.instance_type._meta.get_field(change.field)
                if (
                    hide_names
                    and record.instance_type._meta.label == "people.Person"
                    and (change.field in NAME_FIELDS)
                ):
                    entry.changes.append(
                        Change(str(model_field.verbose_name), NAME_HIDDEN, NAME_HIDDEN)
                    )
                    continue
                entry.changes.append(
                    Change(
                        str(model_field.verbose_name),
                        _display(model_field, change.old, related),
                        _display(model_field, change.new, related),
                    )
                )
            if delta is not None and not entry.changes:
                continue  # only untracked bookkeeping (version, updated_at) changed
            result.append(entry)
    result.sort(key=lambda entry: entry.at, reverse=True)
    return result
