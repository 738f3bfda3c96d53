"""Forms of the case history. Messages are Swedish and shown next to the field."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.cases.models import OutcomeKind, Phase, PhaseReason, RiskInstrument, RiskLevel

DATE_ERRORS = {
    "required": _("Ange ett datum."),
    "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
}
SCENARIO_ROWS = 4


def date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


def _not_in_future(value: datetime.date | None, message: Any) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(message)


class PhaseChangeForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Ny fas"),
        choices=Phase.choices,
        error_messages={
            "required": _("Välj en fas."),
            "invalid_choice": _("Välj en av faserna i listan."),
        },
    )
    entered_on = date_field(_("Från och med"), initial=timezone.localdate)
    current_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    # Set by the one-click confirmation of a phase proposed after a relapse.
    reason = forms.ChoiceField(
        choices=[(PhaseReason.CHOSEN, ""), (PhaseReason.RELAPSE, "")],
        required=False,
        widget=forms.HiddenInput,
    )


class StayForm(forms.Form):
    provider = forms.CharField(
        label=_("Boende / utförare"),
        max_length=200,
        help_text=_("Namnet på det skyddade boendet eller utföraren. Aldrig en adress."),
        error_messages={"required": _("Ange boendet eller utföraren.")},
    )
    started_on = date_field(_("Inflyttning"))
    ended_on = date_field(
        _("Utflyttning"), required=False, help_text=_("Lämna tomt om vistelsen pågår.")
    )
    # The version the edit began from (decision 0008); unused when adding a stay.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_provider(self) -> str:
        value = self.cleaned_data["provider"].strip()
        if not value:
            raise forms.ValidationError(_("Ange boendet eller utföraren."))
        return str(value)


class RiskAssessmentForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        choices=RiskInstrument.choices,
        error_messages={
            "required": _("Välj instrument."),
            "invalid_choice": _("Välj ett instrument i listan."),
        },
    )
    instrument_other = forms.CharField(
        label=_("Annat instrument"),
        required=False,
        max_length=100,
        help_text=_("Fyll i om du valt Annat instrument."),
    )
    assessed_on = date_field(_("Bedömningsdatum"), initial=timezone.localdate)
    next_review_on = date_field(_("Nästa omprövning"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, SCENARIO_ROWS + 1):
            self.fields[f"scenario_{row}"] = forms.CharField(
                label=_("Scenario %(row)s") % {"row": row},
                required=False,
                max_length=200,
                help_text=_("Med egna ord, t.ex. Hot från familjen vid kontakt.")
                if row == 1
                else "",
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=_("Risknivå för scenario %(row)s") % {"row": row},
                required=False,
                choices=[("", _("– välj –")), *RiskLevel.choices],
                error_messages={"invalid_choice": _("Välj låg, medel eller hög.")},
            )

    def clean_assessed_on(self) -> datetime.date:
        value = self.cleaned_data["assessed_on"]
        _not_in_future(value, _("Bedömningsdatumet kan inte ligga i framtiden."))
        return value  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("instrument") == RiskInstrument.OTHER
            and not cleaned.get("instrument_other", "").strip()
        ):
            self.add_error("instrument_other", _("Ange vilket instrument som användes."))
        assessed, review = cleaned.get("assessed_on"), cleaned.get("next_review_on")
        if assessed and review and review <= assessed:
            self.add_error("next_review_on", _("Omprövningen måste ligga efter bedömningsdatumet."))
        scenarios = []
        for row in range(1, SCENARIO_ROWS + 1):
            text = (cleaned.get(f"scenario_{row}") or "").strip()
            level = cleaned.get(f"level_{row}") or ""
            if text and not level:
                self.add_error(f"level_{row}", _("Välj en risknivå för scenariot."))
            elif level and not text:
                self.add_error(f"scenario_{row}", _("Beskriv scenariot som nivån gäller."))
            elif text:
                scenarios.append((text, level))
        if not scenarios and not self.has_error("scenario_1") and not self.has_error("level_1"):
            self.add_error("scenario_1", _("Ange minst ett scenario med risknivå."))
        cleaned["scenarios"] = scenarios
        return cleaned


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Händelse"),
        choices=OutcomeKind.choices,
        error_messages={
            "required": _("Välj vad som hänt."),
            "invalid_choice": _("Välj en händelse i listan."),
        },
    )
    occurred_on = date_field(_("Datum"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )

    def clean_occurred_on(self) -> datetime.date:
        value = self.cleaned_data["occurred_on"]
        _not_in_future(value, _("Datumet kan inte ligga i framtiden."))
        return value  # type: ignore[no-any-return]
