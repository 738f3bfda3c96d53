"""Choosing the report's period and scope."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.organisation.models import Administration
from brygga.stats.periods import Period

FIRST_YEAR = 2020


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Del av året"),
        coerce=int,
        choices=[
            (0, _("Hela året")),
            (1, _("Kvartal 1")),
            (2, _("Kvartal 2")),
            (3, _("Kvartal 3")),
            (4, _("Kvartal 4")),
        ],  # fmt: skip
        initial=0,
    )
    district = forms.ModelChoiceField(
        label=_("Omfattning"),
        queryset=Administration.objects.filter(kind=Administration.Kind.DISTRICT).order_by("name"),
        required=False,
        empty_label=_("Hela staden"),
    )

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = today.year

    def period(self) -> Period:
        quarter = self.cleaned_data["quarter"] or None
        return Period(self.cleaned_data["year"], quarter)
