from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 20000


class NoteForm(forms.Form):
    written_on = forms.DateField(
        label=_("Datum"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Ange ett datum."),
            "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
        },
    )
    title = forms.CharField(
        label=_("Rubrik"),
        required=False,
        max_length=150,
        help_text=_("Rubriken syns i ärendets tidslinje. Skriv inga känsliga uppgifter i den."),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    text = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_written_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["written_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return value
