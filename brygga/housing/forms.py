from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.access.housing import allocatable_flats
from brygga.cases.models import Case
from brygga.housing.models import (
    Allocation,
    Flat,
    FlatKind,
    LeftReason,
    MovedTo,
    Priority,
    WaitingEntry,
)
from brygga.organisation.models import Administration
from brygga.support.areas import NeedArea
from brygga.support.models import CARRYING_STATUSES, Intervention

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    errors = {"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."), "required": _("Ange ett datum.")}
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, error_messages=errors, **kwargs
    )


class FlatChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} – {obj.get_kind_display()}, {obj.rooms} rum, {obj.district.name}"


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.period_start and obj.period_end:
            return f"{obj.type.name} ({obj.period_start:%Y-%m-%d} – {obj.period_end:%Y-%m-%d})"
        return str(obj.type.name)


class AllocateForm(forms.Form):
    intervention = DecisionChoice(
        label=_("Beslut"),
        queryset=Intervention.objects.none(),
        empty_label=None,
        help_text=_("Ett beviljat eller pågående beslut om boende i ärendets plan."),
        error_messages={"required": _("Välj ett beslut."), "invalid_choice": _("Välj ett beslut.")},
    )
    flat = FlatChoice(
        label=_("Lägenhet"),
        queryset=Flat.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Välj en lägenhet."),
            "invalid_choice": _("Välj en ledig lägenhet i listan."),
        },
    )
    starts_on = _date_field(_("Inflyttning"), initial=timezone.localdate)
    until = _date_field(
        _("Beviljad till"),
        required=False,
        help_text=_("Lämna tomt för att använda beslutsperiodens slut."),
    )

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["intervention"].queryset = (
            Intervention.objects.filter(
                case=case, area=NeedArea.HOUSING, status__in=CARRYING_STATUSES
            )
            .select_related("type")
            .order_by("-period_start", "pk")
        )
        held = Allocation.objects.filter(flat=OuterRef("pk"), ended_on__isnull=True)
        self.fields["flat"].queryset = (
            allocatable_flats(user)
            .exclude(Exists(held))
            .select_related("district")
            .order_by("kind", "label")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, until = data.get("starts_on"), data.get("until")
        decision = data.get("intervention")
        if until is None and decision is not None:
            until = decision.period_end
            data["until"] = until
        if start and until and until < start:
            self.add_error("until", _("Slutdatum kan inte vara före inflyttningen."))
        return data


class EndAllocationForm(forms.Form):
    ended_on = _date_field(_("Utflyttning"), initial=timezone.localdate)
    moved_to = forms.ChoiceField(
        label=_("Flyttade till"),
        choices=MovedTo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ange vart personen flyttade.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, allocation: Allocation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allocation = allocation
        self.fields["version"].initial = allocation.version

    def clean_ended_on(self) -> datetime.date:
        day = self.cleaned_data["ended_on"]
        if day < self.allocation.starts_on:
            raise forms.ValidationError(
                _("Utflyttningen kan inte vara före inflyttningen (%(day)s).")
                % {"day": self.allocation.starts_on.isoformat()}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("Utflyttningen kan inte ligga i framtiden."))
        return day


class WaitForm(forms.ModelForm):
    since = _date_field(_("Väntar sedan"), initial=timezone.localdate)

    class Meta:
        model = WaitingEntry
        fields = ["kind", "district", "since", "priority"]
        labels = {"district": _("Stadsdel")}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Administration.objects.filter(
            kind=Administration.Kind.DISTRICT, active=True
        ).order_by("name")
        self.fields["district"].empty_label = None
        self.fields["kind"].choices = FlatKind.choices
        self.fields["priority"].choices = Priority.choices
        self.initial.setdefault("district", case.owning_unit.administration_id)

    def clean_since(self) -> datetime.date:
        day = self.cleaned_data["since"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ködatumet kan inte ligga i framtiden."))
        return day


class FlatForm(forms.ModelForm):
    """A flat of the manager's unit. The address is write-only: never shown back in the form."""

    available_from = _date_field(_("Tillgänglig från"), initial=timezone.localdate)
    new_address = forms.CharField(
        label=_("Adress"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("Skyddad uppgift. Lämna tomt för att behålla den nuvarande adressen."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Flat
        fields = [
            "holding_unit",
            "kind",
            "label",
            "rooms",
            "area_sqm",
            "landlord",
            "available_from",
            "blocked",
        ]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holding_unit"].queryset = units
        self.fields["holding_unit"].empty_label = None
        self.fields["kind"].choices = FlatKind.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["holding_unit"]
        else:
            self.fields["new_address"].required = True
            self.fields["new_address"].help_text = _("Skyddad uppgift, visas bara när den behövs.")

    def clean_new_address(self) -> str:
        return str(self.cleaned_data.get("new_address") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        label = data.get("label")
        unit = data.get("holding_unit") or getattr(self.instance, "holding_unit", None)
        if label and unit is not None:
            clash = Flat.objects.filter(district_id=unit.administration_id, label=label).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("label", _("Det finns redan en lägenhet med den beteckningen."))
        return data


class LeaveWaitingListForm(forms.Form):
    """Taking a person off the waiting list: when, why, and (for another reason) a comment."""

    left_on = _date_field(_("Lämnar kön från"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Skäl"),
        choices=[(v, label) for v, label in LeftReason.choices if v != LeftReason.ALLOCATED],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj varför personen lämnar kön."),
            "invalid_choice": _("Välj ett av skälen i listan."),
        },
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Krävs för ”Annat skäl”. Skriv inget som avslöjar var personen bor."),
        error_messages={
            "max_length": _("Texten får vara högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )

    def __init__(self, *args: Any, entry: WaitingEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry

    def clean_left_on(self) -> datetime.date:
        day = self.cleaned_data["left_on"]
        if day < self.entry.since:
            raise forms.ValidationError(
                _("Datumet kan inte vara före ködatumet (%(day)s).")
                % {"day": self.entry.since.isoformat()}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["note"] = (cleaned.get("note") or "").strip()
        if cleaned.get("reason") == LeftReason.OTHER and not cleaned["note"]:
            self.add_error("note", _("Skriv skälet när du väljer ”Annat skäl”."))
        return cleaned
