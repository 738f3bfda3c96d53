"""`{{ value|protected:revealed }}`: a protected value is masked unless explicitly revealed."""

from __future__ import annotations

from typing import Any

from django import template

from brygga.people.models import MASK

register = template.Library()


@register.filter
def protected(value: Any, revealed: bool = False) -> str:
    if not value:
        return ""
    return str(value) if revealed is True else MASK
