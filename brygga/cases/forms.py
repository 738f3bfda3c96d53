from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.cases.models import TeamRole
from brygga.lib.forms import BoundedModelMultipleChoiceField
from brygga.organisation.models import Role, Unit, User
from brygga.people.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    blind_index,
    parse_identity_number,
)
from brygga.people.models import Gender, IdentityKind, Person, ProtectionLevel

PROTECTION_ORDER = [level for level, _label in ProtectionLevel.choices]

IDENTITY_ERRORS = {
    "format": _("Skriv numret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."),
    "checksum": _("Kontrollsiffran stämmer inte. Kontrollera numret."),
    "date": _("Numret innehåller inget giltigt datum."),
    "future": _("Födelsedatumet ligger i framtiden."),
}


class PersonForm(forms.ModelForm):
    identity_input = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Lämna tomt om personen saknar nummer."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "gender",
            "birth_year",
            "protection_level",
            "accompanying_children",
        ]
        error_messages = {
            "first_name": {"required": _("Ange förnamn.")},
            "last_name": {"required": _("Ange efternamn.")},
            "gender": {"required": _("Välj kön.")},
            "birth_year": {"required": _("Ange födelseår.")},
        }

    def __init__(
        self,
        *args: Any,
        visible_persons: QuerySet[Person],
        may_lower_protection: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.may_lower_protection = may_lower_protection
        self.visible_persons = visible_persons
        # Persons with the same number whom the user may not see: routed to their managers.
        self.hidden_match_ids: list[int] = []
        self.fields["gender"].choices = Gender.choices
        self.fields["protection_level"].choices = ProtectionLevel.choices
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        if self.instance.pk:
            self.fields["identity_input"].initial = self.instance.identity_display
            self.fields["version"].initial = self.instance.version
        self.order_fields(["first_name", "last_name", "identity_input"])
        self.identity: IdentityNumber | None = None
        # Set when the number belongs to someone already: the view audits that lookup.
        self.duplicate_person_id: int | None = None

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year < this_year - 110 or year > this_year:
            raise forms.ValidationError(
                _("Ange ett födelseår mellan %(low)s och %(high)s."),
                params={"low": this_year - 110, "high": this_year},
            )
        return int(year)

    def clean_identity_input(self) -> str:
        raw = self.cleaned_data["identity_input"].strip()
        if not raw:
            return ""
        try:
            self.identity = parse_identity_number(raw)
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(IDENTITY_ERRORS[str(exc)]) from exc
        duplicates = Person.objects.filter(identity_index=blind_index(self.identity.digits))
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        matches = list(duplicates.values_list("pk", flat=True)[:10])
        # Only a person the user already sees may be named: for anyone else the answer must
        # be the one an unknown number gets (the existence oracle, decision 0020).
        visible = set(
            self.visible_persons.filter(pk__in=matches).values_list("pk", flat=True)
            if matches
            else []
        )
        self.duplicate_person_id = next(iter(sorted(visible)), None)
        self.hidden_match_ids = [pk for pk in matches if pk not in visible]
        if self.duplicate_person_id is not None:
            raise forms.ValidationError(
                _("Personen med detta nummer finns redan bland dina ärenden. Sök fram personen.")
            )
        return self.identity.display

    def clean_protection_level(self) -> str:
        level = self.cleaned_data["protection_level"]
        before = self.instance.protection_level if self.instance.pk else None
        if before and PROTECTION_ORDER.index(level) < PROTECTION_ORDER.index(before):
            if not self.may_lower_protection:
                # Lowering unmasks the person's details for everyone who sees the case.
                raise forms.ValidationError(
                    _("Bara enhetschefen kan sänka skyddsnivån. Kontakta din enhetschef.")
                )
        return level

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year = cleaned.get("birth_year")
        if self.identity is not None and year and self.identity.birth_date.year != year:
            self.add_error(
                "birth_year",
                _("Födelseåret stämmer inte med numret (%(year)s).")
                % {"year": self.identity.birth_date.year},
            )
        return cleaned

    def apply_identity(self, person: Person) -> None:
        if self.identity is None:
            person.identity_kind = IdentityKind.NONE
            person.identity_number = ""
            person.identity_index = ""
        else:
            person.identity_kind = self.identity.kind
            person.identity_number = self.identity.digits
            person.identity_index = blind_index(self.identity.digits)


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
