"""The administrator's form for a district's route of an intervention type."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brygga.access.policy import CASEWORK_ROLES
from brygga.organisation.models import Administration, Role, Unit
from brygga.support.models import DistrictRoute, InterventionType

UNIT_FIELDS = ("deciding_unit", "carrying_unit", "owner_unit")


class DistrictRouteForm(forms.ModelForm):
    class Meta:
        model = DistrictRoute
        fields = [
            "district",
            "intervention_type",
            "deciding_unit",
            "carrying_unit",
            "owner_role",
            "owner_unit",
        ]
        labels = {
            "district": _("Stadsdel"),
            "intervention_type": _("Insats"),
            "deciding_unit": _("Enhet som beslutar"),
            "carrying_unit": _("Enhet som utför"),
            "owner_role": _("Ansvarig roll som förslag"),
            "owner_unit": _("Ansvarig enhet som förslag"),
        }
        unit_errors = {
            "required": _("Välj en enhet."),
            "invalid_choice": _("Välj en aktiv enhet i listan."),
        }
        error_messages = {
            "district": {
                "required": _("Välj en stadsdel."),
                "invalid_choice": _("Välj en aktiv stadsdel i listan."),
            },
            "intervention_type": {
                "required": _("Välj en insats."),
                "invalid_choice": _("Välj en aktiv insats ur katalogen."),
            },
            "deciding_unit": unit_errors,
            "carrying_unit": unit_errors,
            "owner_unit": unit_errors,
            "owner_role": {
                "required": _("Välj en roll."),
                "invalid_choice": _("Välj en roll i listan."),
            },
        }
        help_texts = {
            "owner_role": _(
                "Föreslås som ansvarig när en socialsekreterare planerar insatsen; går att ändra."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        route = self.instance
        _choice(self, "district").queryset = Administration.objects.filter(
            Q(kind=Administration.Kind.DISTRICT, active=True) | Q(pk=route.district_id)
        ).order_by("name")
        _choice(self, "intervention_type").queryset = InterventionType.objects.filter(
            Q(active=True) | Q(pk=route.intervention_type_id)
        ).order_by("area", "name")
        for name in UNIT_FIELDS:
            current = getattr(route, f"{name}_id")
            _choice(self, name).queryset = (
                Unit.objects.filter(Q(active=True, administration__active=True) | Q(pk=current))
                .select_related("administration")
                .order_by("administration__name", "name")
            )
            _choice(self, name).label_from_instance = str  # type: ignore[method-assign,assignment]
        _choice(self, "owner_role").choices = [("", _("Välj roll …"))] + [
            (r.value, r.label) for r in (Role(role) for role in CASEWORK_ROLES)
        ]
        if route.pk:
            # A route is about one district and one type; another pair is another route.
            self.fields["district"].disabled = True
            self.fields["intervention_type"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        district: Administration | None = cleaned.get("district")
        kind = cleaned.get("intervention_type")
        if district is None:
            return cleaned
        for name in UNIT_FIELDS:
            unit: Unit | None = cleaned.get(name)
            if unit is not None and not (
                unit.administration_id == district.pk
                or unit.administration.kind == Administration.Kind.CITYWIDE
            ):
                self.add_error(
                    name, _("Välj en enhet i stadsdelen eller en stadsövergripande enhet.")
                )
        if kind is not None and not self.instance.pk:
            taken = DistrictRoute.objects.filter(district=district, intervention_type=kind)
            if taken.exists():
                self.add_error(
                    "intervention_type",
                    _("Stadsdelen har redan en rutin för insatsen. Ändra den i stället."),
                )
        return cleaned


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's choice field by name, typed as what the model form made of it."""
    return cast(forms.ModelChoiceField, form.fields[name])
