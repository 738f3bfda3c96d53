"""A case (ärende): one person's long-term support, owned by one unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from brygga.organisation.models import Unit
from brygga.people.models import Person


class Phase(models.TextChoices):
    PROTECTED_HOUSING = "protected_housing", _("Skyddat boende")
    MOVING_OUT = "moving_out", _("Utslussning")
    ESTABLISHING = "establishing", _("Etablering")
    OWN_FEET = "own_feet", _("Klarar sig självständigt")
    CLOSED = "closed", _("Avslutat")


class Case(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    owning_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("ägande enhet")
    )
    phase = models.CharField(
        _("fas"), max_length=20, choices=Phase.choices, default=Phase.PROTECTED_HOUSING
    )
    opened_on = models.DateField(_("öppnat"), default=timezone.localdate)
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [models.Index(fields=["owning_unit", "phase"], name="case_unit_phase_idx")]

    def __str__(self) -> str:
        return _("Ärende %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLOSED


class TeamRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Ansvarig socialsekreterare")
    WORKER = "worker", _("Socialsekreterare")
    HOUSING_SUPPORT = "housing_support", _("Boendestödjare")
    CONTACT_COORDINATOR = "contact_coordinator", _("Kontaktpersonsamordnare")


class CaseTeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams"
    )
    role = models.CharField(_("roll i ärendet"), max_length=30, choices=TeamRole.choices)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("medlem i ärendeteamet")
        verbose_name_plural = _("ärendeteam")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="unique_case_team_member")
        ]
        indexes = [models.Index(fields=["user", "case"], name="team_user_case_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
