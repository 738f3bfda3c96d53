from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.audit.models import Action
from brygga.organisation.models import User


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class LogReviewForm(forms.Form):
    """Filters of the log review. Persons are filtered by id only: never a personnummer in
    the URL."""

    user = StaffChoiceField(
        label=_("Användare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Alla"),
    )
    person = forms.IntegerField(
        label=_("Person (id)"),
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={"invalid": _("Ange personens id som ett heltal.")},
    )
    date_from = forms.DateField(
        label=_("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )
    date_to = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )
    action = forms.ChoiceField(label=_("Händelse"), required=False)

    def __init__(self, *args: Any, unit_ids: Collection[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(memberships__unit_id__in=list(unit_ids))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["action"].choices = [("", _("Alla")), *Action.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Slutdatumet ligger före startdatumet."))
        return cleaned

    def as_audit_detail(self) -> dict[str, Any]:
        """The filters as JSON for the audit event of the review or export itself."""
        data = self.cleaned_data
        return {
            "user": data["user"].pk if data.get("user") else None,
            "person": data.get("person"),
            "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
            "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
            "action": data.get("action") or None,
        }
