"""Template helpers for pages built from several forms."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms, template

register = template.Library()


@register.filter
def with_errors(candidates: Iterable[forms.BaseForm]) -> list[forms.BaseForm]:
    """The forms that have errors, so one summary can list them all."""
    return [form for form in candidates if form.errors]
