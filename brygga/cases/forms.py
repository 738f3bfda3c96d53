from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.cases.models import TeamRole
from brygga.lib.forms import BoundedModelMultipleChoiceField
from brygga.organisation.models import Role, Unit, User


class OpenCaseForm(forms.Form):
    owning_unit = forms.ModelChoiceField(
        label=_("Ägande enhet"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en av dina enheter.")},
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig socialsekreterare"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Välj en ansvarig socialsekreterare."),
            "invalid_choice": _("Välj en socialsekreterare i enheten."),
        },
    )
    opened_on = forms.DateField(
        label=_("Ärendet öppnas"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owning_unit"].queryset = units
        self.fields["responsible"].queryset = (
            User.objects.filter(
                is_active=True, memberships__role=Role.WORKER, memberships__unit__in=units
            )
            .distinct()
            .order_by("first_name", "last_name")
        )

    def clean_opened_on(self) -> datetime.date:
        opened_on = self.cleaned_data["opened_on"]
        if opened_on > timezone.localdate():
            raise forms.ValidationError(_("Ett ärende kan inte öppnas i framtiden."))
        return opened_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, responsible = cleaned.get("owning_unit"), cleaned.get("responsible")
        if (
            unit
            and responsible
            and not responsible.memberships.filter(role=Role.WORKER, unit=unit).exists()
        ):
            self.add_error(
                "responsible", _("Den ansvariga måste vara socialsekreterare i den ägande enheten.")
            )
        return cleaned


class CaseTeamForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig socialsekreterare"),
        queryset=User.objects.none(),
        error_messages={"required": _("Ett ärende måste ha en ansvarig socialsekreterare.")},
    )
    members = BoundedModelMultipleChoiceField(
        label=_("Övriga i ärendeteamet"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One filter() call per condition set, so role and unit are required of the SAME
        # membership (two chained filters would join memberships twice).
        active = User.objects.filter(is_active=True)
        self.fields["responsible"].queryset = (
            active.filter(memberships__unit=unit, memberships__role=Role.WORKER)
            .distinct()
            .order_by("first_name")
        )
        self.fields["members"].queryset = (
            active.filter(
                memberships__unit=unit,
                memberships__role__in=[
                    Role.WORKER,
                    Role.HOUSING_SUPPORT,
                    Role.CONTACT_COORDINATOR,
                ],
            )
            .distinct()
            .order_by("first_name")
        )
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.username


def team_role_for(user: User, unit: Unit) -> str:
    roles = {m.role for m in user.memberships.all() if m.unit_id == unit.pk}
    if Role.WORKER in roles:
        return TeamRole.WORKER
    if Role.HOUSING_SUPPORT in roles:
        return TeamRole.HOUSING_SUPPORT
    return TeamRole.CONTACT_COORDINATOR


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Namn eller personnummer"),
        max_length=100,
        error_messages={"required": _("Skriv ett namn eller ett personnummer.")},
    )

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip()
        if len(q) < 2:
            raise forms.ValidationError(_("Skriv minst två tecken."))
        return q
