"""Forms for a person's protected details and for asking to see them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.people.models import ProtectedDetails

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
