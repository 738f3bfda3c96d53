from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.jobs.tasks import JOBS

# A job runs "as on" a day: never a future one (gallring would remove cases before their time),
# and no further back than this.
LOOK_BACK_DAYS = 31


class RunJobForm(forms.Form):
    job = forms.ChoiceField(
        label=_("Jobb"),
        choices=[("", _("Välj jobb")), *((job.name, job.title) for job in JOBS.values())],
        error_messages={
            "required": _("Välj vilket jobb som ska köras."),
            "invalid_choice": _("Välj ett jobb i listan."),
        },
    )
    day = forms.DateField(
        label=_("Avser dag"),
        help_text=_("Dagens datum eller en dag under den senaste månaden (ÅÅÅÅ-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Ange dagen jobbet avser."),
            "invalid": _("Ange dagen som ÅÅÅÅ-MM-DD."),
        },
    )

    def clean_day(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["day"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("Ett jobb kan inte köras för en dag som inte har varit."))
        if day < today - datetime.timedelta(days=LOOK_BACK_DAYS):
            raise forms.ValidationError(_("Välj en dag under den senaste månaden."))
        return day
