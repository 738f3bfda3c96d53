"""A case (ärende): one person's long-term support, owned by one unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
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
    # The end of the latest protected-housing stay; kept by the history services (anchors
    # follow-ups).
    left_protected_housing_on = models.DateField(null=True, blank=True)
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


# --- Case history (H5): phases over time, protected-housing stays, risk assessments, outcomes.


class PhaseReason(models.TextChoices):
    """Why the case changed phase: the worker chose it, or it followed a recorded fact."""

    CHOSEN = "", _("Vald av handläggaren")
    MOVE_OUT = "move_out", _("Följde av utflyttningen från skyddat boende")
    RELAPSE = "relapse", _("Föreslagen efter ett återfall, bekräftad")


class PhaseChange(models.Model):
    """The case entered `phase` on `entered_on`. Case.phase stays the current phase."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(_("fas"), max_length=20, choices=Phase.choices)
    entered_on = models.DateField(_("från och med"))
    reason = models.CharField(
        _("anledning"), max_length=20, choices=PhaseReason.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("fasbyte")
        verbose_name_plural = _("fasbyten")
        ordering = ["entered_on", "pk"]
        indexes = [models.Index(fields=["case", "entered_on"], name="phase_case_on_idx")]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.entered_on:%Y-%m-%d}"


class ProtectedHousingStay(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stays")
    # Which shelter a named person is in: a protected fact, encrypted at rest (docs/security.md).
    provider = EncryptedCharField(_("boende / utförare"), max_length=200)
    started_on = models.DateField(_("inflyttning"))
    ended_on = models.DateField(_("utflyttning"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("vistelse i skyddat boende")
        verbose_name_plural = _("vistelser i skyddat boende")
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["case", "started_on"], name="stay_case_start_idx")]

    def __str__(self) -> str:
        # Never the provider: this string may reach a log or an error report.
        return f"ProtectedHousingStay(case={self.case_id}, {self.started_on:%Y-%m-%d})"


class RiskInstrument(models.TextChoices):
    FREDA = "freda", _("FREDA farlighetsbedömning")
    PATRIARK = "patriark", _("PATRIARK")
    SARA_SV = "sara_sv", _("SARA:SV")
    OTHER = "other", _("Annat instrument")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Låg")
    MEDIUM = "medium", _("Medel")
    HIGH = "high", _("Hög")


RISK_LEVEL_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class RiskAssessment(models.Model):
    """The result of a structured risk assessment. Never the instrument's own items."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    instrument = models.CharField(_("instrument"), max_length=20, choices=RiskInstrument.choices)
    instrument_other = models.CharField(_("annat instrument"), max_length=100, blank=True)
    assessed_on = models.DateField(_("bedömningsdatum"))
    next_review_on = models.DateField(_("nästa omprövning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("riskbedömning")
        verbose_name_plural = _("riskbedömningar")
        ordering = ["assessed_on", "pk"]
        indexes = [
            models.Index(fields=["case", "assessed_on"], name="risk_case_on_idx"),
            models.Index(fields=["next_review_on"], name="risk_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_label} {self.assessed_on:%Y-%m-%d}"

    @property
    def instrument_label(self) -> str:
        if self.instrument == RiskInstrument.OTHER and self.instrument_other:
            return self.instrument_other
        return str(self.get_instrument_display())

    @property
    def highest_level(self) -> str | None:
        """Needs the scenarios prefetched to stay at a constant number of queries."""
        levels = [s.level for s in self.scenarios.all()]
        return max(levels, key=lambda level: RISK_LEVEL_RANK[RiskLevel(level)], default=None)


class RiskScenario(models.Model):
    """One scenario of an assessment in the worker's own words, and its level."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="scenarios"
    )
    scenario = models.CharField(_("scenario"), max_length=200)
    level = models.CharField(_("risknivå"), max_length=10, choices=RiskLevel.choices)

    class Meta:
        verbose_name = _("riskscenario")
        verbose_name_plural = _("riskscenarier")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.get_level_display()}"


class OutcomeKind(models.TextChoices):
    RETURNED_TO_FAMILY = "returned_to_family", _("Återvänt till familjen")
    NEW_PROTECTED_STAY = "new_protected_stay", _("Ny vistelse i skyddat boende")
    NEW_VIOLENCE = "new_violence", _("Nytt våld")
    OWN_TENANCY = "own_tenancy", _("Eget hyreskontrakt")
    STARTED_WORK = "started_work", _("Börjat arbeta")
    STARTED_STUDIES = "started_studies", _("Börjat studera")
    LOST_CONTACT = "lost_contact", _("Kontakten förlorad")
    MOVED_AWAY = "moved_away", _("Flyttat till annan kommun")


# Returning to the family or a new stay in protected housing counts as a relapse (återfall).
# Defined here, beside the kinds, so the model needs nothing from the rules (no import cycle).
RELAPSE_KINDS = frozenset({OutcomeKind.RETURNED_TO_FAMILY, OutcomeKind.NEW_PROTECTED_STAY})


class OutcomeEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("händelse"), max_length=30, choices=OutcomeKind.choices)
    occurred_on = models.DateField(_("datum"))
    # Encrypted at rest: a note about what happened may be sensitive.
    note = EncryptedTextField(_("kommentar"), blank=True, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("utfallshändelse")
        verbose_name_plural = _("utfallshändelser")
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="outcome_case_on_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"

    @property
    def is_relapse(self) -> bool:
        return self.kind in RELAPSE_KINDS


class IdentityMatch(models.Model):
    """Someone registered a personnummer that a person in another unit already has.

    The registering user is told nothing (decision 0020): the registration goes through as for
    an unknown number, and the managers of the units owning the existing person's cases get
    this row on their list to coordinate (merge, transfer, or suspect a search for the person).
    """

    registered_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identity_matches_made"
    )
    existing_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identity_matches"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"IdentityMatch {self.pk}"
