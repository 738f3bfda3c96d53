from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from brygga.retention.models import HoldGround

MIN_REASON = 10


def _reason(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        min_length=MIN_REASON,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Skriv skälet."),
            "min_length": _("Skriv skälet med minst %(limit_value)d tecken."),
            "max_length": _("Skälet får vara högst %(limit_value)d tecken."),
        },
    )


class LegalHoldForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Grund"),
        choices=[("", _("Välj grund")), *HoldGround.choices],
        error_messages={
            "required": _("Välj grunden för beslutet."),
            "invalid_choice": _("Välj en grund i listan."),
        },
    )
    reason = _reason(_("Motivering"), _("Varför ärendet måste bevaras. Motiveringen loggas."))


class LiftHoldForm(forms.Form):
    reason = _reason(_("Skäl för upphävandet"), _("Varför beslutet inte längre gäller."))
