from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MIN_LENGTH = 20


class EmergencyAccessForm(forms.Form):
    case_number = forms.IntegerField(
        label=_("Ärendenummer"),
        min_value=1,
        max_value=2**62,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Ange ärendenumret."),
            "invalid": _("Ärendenumret består bara av siffror."),
            "min_value": _("Ärendenumret består bara av siffror."),
            "max_value": _("Ärendenumret består bara av siffror."),
        },
    )
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Varför måste du öppna ärendet nu? Minst 20 tecken. Skälet loggas och "
            "enhetschefen granskar det."
        ),
        error_messages={
            "required": _("Ange ett skäl."),
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
