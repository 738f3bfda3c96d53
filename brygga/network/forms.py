from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.network.equality import AGE_BANDS
from brygga.network.models import BudgetAssignment, MeetingNote
from brygga.organisation.models import Administration, Unit
from brygga.people.models import Gender

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."), "required": _("Ange ett datum.")}


class CityFilterForm(forms.Form):
    kon = forms.ChoiceField(
        label=_("Kön"), required=False, choices=[("", _("Alla"))] + list(Gender.choices)
    )
    alder = forms.ChoiceField(
        label=_("Åldersgrupp"),
        required=False,
        choices=[("", _("Alla"))] + [(band, band.replace("-", "–")) for band in AGE_BANDS],
    )


class AssignmentForm(forms.ModelForm):
    next_check_in = forms.DateField(
        label=_("Nästa avstämning"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BudgetAssignment
        fields = [
            "title",
            "description",
            "responsible_district",
            "responsible_unit",
            "status",
            "next_check_in",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.instance.responsible_district_id
        unit = self.instance.responsible_unit_id
        self.fields["responsible_district"].queryset = Administration.objects.filter(
            Q(active=True) | Q(pk=district)
        ).order_by("name")
        self.fields["responsible_unit"].queryset = (
            Unit.objects.filter(Q(active=True, administration__active=True) | Q(pk=unit))
            .select_related("administration")
            .order_by("name")
        )
        self.fields["responsible_unit"].help_text = _(
            "Ange antingen en förvaltning eller en enhet."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district, unit = data.get("responsible_district"), data.get("responsible_unit")
        if bool(district) == bool(unit):
            self.add_error(
                "responsible_district",
                _("Ange en ansvarig: antingen en förvaltning eller en enhet."),
            )
        return data


class NoteForm(forms.ModelForm):
    met_on = forms.DateField(
        label=_("Mötesdatum"),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
        initial=timezone.localdate,
    )

    class Meta:
        model = MeetingNote
        fields = ["met_on", "text"]
        error_messages = {"text": {"required": _("Skriv vad mötet kom fram till.")}}

    def clean_met_on(self) -> datetime.date:
        day = self.cleaned_data["met_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Mötet kan inte ligga i framtiden."))
        return day
