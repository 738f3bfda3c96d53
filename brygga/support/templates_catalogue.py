"""Task templates per need area: the practical steps the report says nobody owns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

TASK_TEMPLATES: dict[str, list[StrOrPromise]] = {
    "housing": [
        _("Ställa sig i bostadskön"),
        _("Ordna autogiro för hyran"),
        _("Teckna hemförsäkring"),
        _("Ansöka om bostadsbidrag"),
    ],
    "occupation": [
        _("Ansöka om aktivitetsersättning"),
        _("Anmäla sig till SFI"),
        _("Skriva in sig på Arbetsförmedlingen"),
        _("Boka möte med Jobbtorg"),
    ],
    "social": [
        _("Ansöka om kontaktperson"),
        _("Besöka en mötesplats eller språkcafé"),
        _("Förmedla kontakt med mentorprogram"),
    ],
    "safety": [_("Ansöka om skyddade personuppgifter"), _("Gå igenom säkerhetsplanen")],
    "economy": [_("Ansöka om ekonomiskt bistånd"), _("Göra en budget"), _("Öppna bankkonto")],
    "health": [_("Boka tid på vårdcentralen"), _("Förmedla traumabehandling")],
    "children": [_("Ordna förskoleplats"), _("Kontakta skolan")],
}
