"""Forms for a person's protected details and for asking to see them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.people.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    blind_index,
    parse_identity_number,
)
from brygga.people.models import Gender, IdentityKind, Person, ProtectedDetails, ProtectionLevel

REASON_MIN_LENGTH = 20

MESSAGE_CHOICES = [
    ("", _("Inte angivet")),
    ("yes", _("Ja")),
    ("no", _("Nej")),
    ("ask", _("Bara efter kodord")),
]


class ProtectedDetailsForm(forms.ModelForm):
    may_leave_message = forms.ChoiceField(
        label=_("Får meddelande lämnas?"), choices=MESSAGE_CHOICES, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProtectedDetails
        fields = list(ProtectedDetails.FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "whereabouts": forms.Textarea(attrs={"rows": 2}),
            "workplace": forms.Textarea(attrs={"rows": 2}),
            "relatives": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        for name in ("address", "whereabouts", "workplace", "relatives"):
            self.fields[name].max_length = 2000
            self.fields[name].widget.attrs["maxlength"] = "2000"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("address", "whereabouts", "workplace", "relatives"):
            value = cleaned.get(name) or ""
            if len(value) > 2000:
                self.add_error(name, _("Högst 2000 tecken."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=REASON_MIN_LENGTH,
        max_length=1000,
        help_text=_("Varför behöver du uppgifterna? Minst 20 tecken. Skälet loggas."),
        error_messages={
            "required": _("Ange ett skäl."),
            "min_length": _("Skriv ett skäl med minst %(limit_value)d tecken."),
            "max_length": _("Skälet får vara högst %(limit_value)d tecken."),
        },
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < REASON_MIN_LENGTH:
            raise forms.ValidationError(
                _("Skriv ett skäl med minst %(limit_value)d tecken."),
                params={"limit_value": REASON_MIN_LENGTH},
            )
        return reason


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Bevilja")), ("deny", _("Avslå"))],
        error_messages={"required": _("Välj ett beslut."), "invalid_choice": _("Välj ett beslut.")},
    )


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
    protection_reason = forms.CharField(
        label=_("Skäl till att skyddsnivån sänks"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Krävs när skyddsnivån sänks. Beslutet loggas med skälet och syns i loggkontrollen. "
            "Skyddade uppgifter förblir dolda och visas bara med behörighet."
        ),
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
        # The number tells the birth year: the year is asked only of a person without one.
        birth_year = self.fields["birth_year"]
        birth_year.required = False
        birth_year.label = _("Födelseår")
        birth_year.help_text = _("Behövs bara om personen saknar nummer.")
        birth_year.widget.attrs.update(
            {"inputmode": "numeric", "data-hidden-while-filled": self["identity_input"].auto_id}
        )
        if self.instance.pk:
            self.fields["identity_input"].initial = self.instance.identity_display
            self.fields["version"].initial = self.instance.version
        # The level before this edit: lowering it needs a reason (decision 0022).
        self.level_before: str | None = self.instance.protection_level if self.instance.pk else None
        if not self.instance.pk:
            del self.fields["protection_reason"]
        self.order_fields(
            [
                "first_name",
                "last_name",
                "identity_input",
                "gender",
                "birth_year",
                "protection_level",
                "protection_reason",
            ]
        )
        self.identity: IdentityNumber | None = None
        # Set when the number belongs to someone already: the view audits that lookup.
        self.duplicate_person_id: int | None = None

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is None:
            return None
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

    @property
    def lowers_protection(self) -> bool:
        level = (getattr(self, "cleaned_data", None) or {}).get("protection_level")
        return bool(
            self.level_before
            and level
            and PROTECTION_ORDER.index(level) < PROTECTION_ORDER.index(self.level_before)
        )

    def clean_protection_level(self) -> str:
        level = self.cleaned_data["protection_level"]
        before = self.level_before
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
        if self.identity is not None:
            if year and self.identity.birth_date.year != year:
                self.add_error(
                    "birth_year",
                    _("Födelseåret stämmer inte med numret (%(year)s).")
                    % {"year": self.identity.birth_date.year},
                )
            else:
                cleaned["birth_year"] = self.identity.birth_date.year
        elif not year and "birth_year" not in self.errors and not self.errors.get("identity_input"):
            self.add_error("birth_year", _("Ange födelseår när personen saknar nummer."))
        reason = (cleaned.get("protection_reason") or "").strip()
        cleaned["protection_reason"] = reason
        if self.lowers_protection and not reason:
            self.add_error(
                "protection_reason",
                _("Skriv skälet till att skyddsnivån sänks. Beslutet loggas med skälet."),
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
