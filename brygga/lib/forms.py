"""Form fields shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from brygga.lib.converters import MAX_ID


def bounded_id(value: Any) -> bool:
    """Whether `value` could be a database id: an integer from 1 to 2**63 - 1."""
    try:
        number = int(str(value))
    except ValueError:
        return False
    return 1 <= number <= MAX_ID


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond 64 bits before they reach the database (an `IN` lookup with one
    crashes the driver). Single-choice fields need nothing: Django treats an out-of-range
    `exact` lookup as no match."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value if isinstance(value, list | tuple) else [value]:
                if not bounded_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:20]},
                    )
        return super()._check_values(value)  # type: ignore[misc]
