"""Forms for administrators: districts (förvaltningar), units and teams."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brygga.organisation.models import Administration, Municipality, Team, Unit

NAME_ERRORS = {
    "required": _("Ange ett namn."),
    "max_length": _("Namnet får vara högst %(limit_value)d tecken (nu %(show_value)d)."),
}
CHOICE_ERROR = _("Välj ett av alternativen i listan.")


def _clean_name(form: forms.ModelForm, siblings: Any) -> str:
    """The name, trimmed; refused if another row among `siblings` has it (any letter case)."""
    name = " ".join(str(form.cleaned_data.get("name") or "").split())
    if not name:
        raise forms.ValidationError(NAME_ERRORS["required"])
    if form.instance.pk:
        siblings = siblings.exclude(pk=form.instance.pk)
    # Compared in Python: SQLite folds the case of ASCII letters only (Å, Ä, Ö stay apart).
    taken = {str(other).casefold() for other in siblings.values_list("name", flat=True)}
    if name.casefold() in taken:
        raise forms.ValidationError(_("Namnet finns redan. Välj ett annat namn."))
    return name


class AdministrationForm(forms.ModelForm):
    class Meta:
        model = Administration
        fields = ["municipality", "name", "kind"]
        labels = {"municipality": _("Kommun"), "name": _("Namn"), "kind": _("Typ")}
        error_messages = {
            "municipality": {"required": _("Välj en kommun."), "invalid_choice": CHOICE_ERROR},
            "name": NAME_ERRORS,
            "kind": {"required": _("Välj en typ."), "invalid_choice": CHOICE_ERROR},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "municipality").queryset = Municipality.objects.order_by("name")
        _choice(self, "municipality").empty_label = None
        self.fields["name"].help_text = _("Till exempel ”Södermalms stadsdelsförvaltning”.")
        if self.instance.pk:
            # Moving a district to another municipality would move its cases with it.
            self.fields["municipality"].disabled = True

    def clean_name(self) -> str:
        municipality = self.cleaned_data.get("municipality") or self.instance.municipality_id
        return _clean_name(self, Administration.objects.filter(municipality=municipality))


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["administration", "name", "kind"]
        labels = {"administration": _("Förvaltning"), "name": _("Namn"), "kind": _("Typ av enhet")}
        error_messages = {
            "administration": {
                "required": _("Välj förvaltningen enheten hör till."),
                "invalid_choice": _("Välj en aktiv förvaltning i listan."),
            },
            "name": NAME_ERRORS,
            "kind": {"required": _("Välj typ av enhet."), "invalid_choice": CHOICE_ERROR},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.administration_id if self.instance.pk else None
        _choice(self, "administration").queryset = Administration.objects.filter(
            Q(active=True) | Q(pk=current)
        ).order_by("name")
        self.fields["kind"].help_text = _(
            "Vad enheten gör: relationsvåld, ekonomiskt bistånd, boende, arbetsmarknad …"
        )
        if self.instance.pk:
            # A unit owns cases and flats; moving it to another district would move them too.
            self.fields["administration"].disabled = True

    def clean_name(self) -> str:
        administration = self.cleaned_data.get("administration") or self.instance.administration_id
        return _clean_name(self, Unit.objects.filter(administration=administration))


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": _("Teamets namn")}
        error_messages = {"name": NAME_ERRORS}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_name(self) -> str:
        return _clean_name(self, Team.objects.filter(unit=self.unit))


class ActiveForm(forms.Form):
    """Deactivate (0) or activate again (1); nothing else is a valid request."""

    active = forms.TypedChoiceField(
        choices=[("0", "0"), ("1", "1")], coerce=lambda value: value == "1"
    )


class TeamChoiceForm(forms.Form):
    """Which of the unit's teams a member of staff works in; only active teams are offered."""

    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Inget team"),
        error_messages={"invalid_choice": _("Välj ett aktivt team i enheten.")},
    )

    def __init__(self, *args: Any, teams: Any, current: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [t for t in teams if t.active or t.pk == current]
        _choice(self, "team").queryset = Team.objects.filter(pk__in=[t.pk for t in offered])
        # The choices from the teams already loaded: no query per member of staff.
        _choice(self, "team").choices = [("", _("Inget team"))] + [(t.pk, t.name) for t in offered]
        self.fields["team"].initial = current


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's choice field by name, typed as what the model form made of it."""
    return cast(forms.ModelChoiceField, form.fields[name])
