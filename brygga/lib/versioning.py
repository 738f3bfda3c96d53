"""Optimistic locking: an edit based on an old version never silently overwrites a newer one."""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


class StaleEdit(Exception):
    """Someone saved the record after this edit began; `current` is what they saved."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("stale edit")
        self.current = current


def save_if_current(instance: M, based_on_version: int, update_fields: list[str]) -> M:
    """Save `instance` if the stored version is still `based_on_version`, and bump the version.

    Runs inside the caller's transaction; locks the row so two saves cannot both pass.
    """
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != based_on_version:  # type: ignore[attr-defined]
            raise StaleEdit(current)
        instance.version = based_on_version + 1  # type: ignore[attr-defined]
        instance.save(update_fields=[*update_fields, "version", "updated_at"])
    return instance
