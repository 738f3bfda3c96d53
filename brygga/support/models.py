"""The support model: assessments per need area, the plan (goals, interventions, decisions),
tasks with owners, and follow-ups anchored on the day the person left protected housing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
from simple_history.models import HistoricalRecords

from brygga.cases.models import Case
from brygga.organisation.models import Municipality, Role, Unit
from brygga.support.areas import NeedArea, level_choices

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class ActorKind(models.TextChoices):
    STAFF = "staff", _("En medarbetare")
    ROLE = "role", _("En roll i en enhet")
    ORGANISATION = "organisation", _("En extern organisation")


class Actor(models.Model):
    """Who is responsible: a named staff member, a role in a unit, or an external organisation.

    Exactly one of the three shapes is filled in, as `actor_kind` says (a check constraint).
    """

    actor_kind = models.CharField(
        _("ansvarig typ"), max_length=20, choices=ActorKind.choices, blank=True
    )
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig medarbetare"),
    )
    actor_role = models.CharField(
        _("ansvarig roll"), max_length=30, choices=Role.choices, blank=True
    )
    actor_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig enhet"),
    )
    # Free text that may name the shelter the person stays in: encrypted at rest (empty is NULL),
    # masked for read-only roles like the provider (docs/security.md).
    actor_organisation = EncryptedCharField(
        _("ansvarig organisation"), max_length=200, blank=True, null=True
    )

    class Meta:
        abstract = True

    @classmethod
    def actor_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            name=name,
            condition=(
                Q(
                    actor_kind="",
                    actor_user__isnull=True,
                    actor_unit__isnull=True,
                    actor_role="",
                    actor_organisation__isnull=True,
                )
                | Q(
                    actor_kind=ActorKind.STAFF,
                    actor_user__isnull=False,
                    actor_unit__isnull=True,
                    actor_role="",
                    actor_organisation__isnull=True,
                )
                | (
                    Q(actor_kind=ActorKind.ROLE, actor_user__isnull=True, actor_unit__isnull=False)
                    & ~Q(actor_role="")
                    & Q(actor_organisation__isnull=True)
                )
                | (
                    Q(
                        actor_kind=ActorKind.ORGANISATION,
                        actor_user__isnull=True,
                        actor_unit__isnull=True,
                        actor_role="",
                    )
                    & Q(actor_organisation__isnull=False)
                )
            ),
        )

    @property
    def has_actor(self) -> bool:
        return bool(self.actor_kind)

    @property
    def actor_display(self) -> str:
        if self.actor_kind == ActorKind.STAFF and self.actor_user is not None:
            return str(self.actor_user)
        if self.actor_kind == ActorKind.ROLE and self.actor_unit is not None:
            return f"{Role(self.actor_role).label}, {self.actor_unit.name}"
        if self.actor_kind == ActorKind.ORGANISATION:
            return self.actor_organisation or ""
        return ""


class AssessmentRound(models.Model):
    """One assessment occasion: a date and one row per assessed need area."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessment_rounds")
    assessed_on = models.DateField(_("bedömningsdatum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bedömningstillfälle")
        verbose_name_plural = _("bedömningstillfällen")
        indexes = [models.Index(fields=["case", "assessed_on"], name="support_round_case_idx")]

    def __str__(self) -> str:
        return _("Bedömning %(date)s") % {"date": self.assessed_on.isoformat()}


class Assessment(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="rows")
    # Denormalised from the round so gaps and charts need no join.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("bedömningsdatum"))
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    worker_level = models.PositiveSmallIntegerField(
        _("nivå enligt socialsekreteraren"), choices=level_choices(), validators=LEVEL_VALIDATORS
    )
    person_level = models.PositiveSmallIntegerField(
        _("nivå enligt personen"),
        choices=level_choices(),
        validators=LEVEL_VALIDATORS,
        null=True,
        blank=True,
    )
    description = models.TextField(_("beskrivning"), blank=True)
    person_goal = models.TextField(_("personens mål med egna ord"), blank=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="support_one_row_per_area"),
            models.CheckConstraint(
                name="support_worker_level_1_5",
                condition=Q(worker_level__gte=1, worker_level__lte=5),
            ),
        ]
        indexes = [
            models.Index(fields=["case", "area", "assessed_on"], name="support_assess_case_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} {self.assessed_on}: {self.worker_level}"


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_goals")
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    text = models.TextField(_("mål"))
    achieved_on = models.DateField(_("uppnått"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.text[:60]


class InterventionType(models.Model):
    """The catalogue of interventions (insatser), edited by administrators."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    is_decision = models.BooleanField(_("kräver beslut"), default=True)
    default_period_months = models.PositiveSmallIntegerField(
        _("normal beslutsperiod (månader)"), default=12
    )
    minimum_period_months = models.PositiveSmallIntegerField(
        _("kortaste beslutsperiod utan motivering (månader)"), default=6
    )
    needs_manager_decision = models.BooleanField(
        _("beslutas av enhetschef"),
        default=False,
        help_text=_("Enligt delegationsordningen får socialsekreteraren inte fatta beslutet."),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("insatstyp")
        verbose_name_plural = _("insatstyper")
        ordering = ["area", "name"]
        constraints = [
            models.CheckConstraint(
                name="support_minimum_not_above_default",
                condition=Q(minimum_period_months__lte=models.F("default_period_months")),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    APPLIED = "applied", _("Ansökt")
    AWAITING_MANAGER = "awaiting_manager", _("Väntar på chefens beslut")
    GRANTED = "granted", _("Beviljad")
    ACTIVE = "active", _("Pågår")
    ENDED = "ended", _("Avslutad")
    REFUSED = "refused", _("Avslag")


# Statuses in which an intervention carries responsibility for its area.
CARRYING_STATUSES = (InterventionStatus.GRANTED, InterventionStatus.ACTIVE)
DECIDED_STATUSES = (
    InterventionStatus.GRANTED,
    InterventionStatus.ACTIVE,
    InterventionStatus.REFUSED,
)


class Intervention(Actor):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    type = models.ForeignKey(
        InterventionType, on_delete=models.PROTECT, related_name="+", verbose_name=_("insats")
    )
    # Copied from the type when created, so the catalogue can change without rewriting plans.
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    # May name the shelter the person stays in: encrypted at rest, masked for read-only roles.
    provider = EncryptedCharField(_("utförare"), max_length=200, blank=True, null=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PLANNED,
    )
    requested_status = models.CharField(
        _("begärt beslut"), max_length=20, choices=InterventionStatus.choices, blank=True
    )
    decision_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutsfattare"),
    )
    legal_ground = models.CharField(_("lagrum"), max_length=200, blank=True)
    period_start = models.DateField(_("beslutsperiod från"), null=True, blank=True)
    period_end = models.DateField(_("beslutsperiod till"), null=True, blank=True)
    short_period_reason = models.TextField(_("skäl till kortare beslutsperiod"), blank=True)
    # The worker's case for the intervention: what the manager reads before deciding.
    reasons = models.TextField(_("motivering"), blank=True)
    no_follow_on_needed = models.BooleanField(_("ingen fortsättning behövs"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [
            Actor.actor_constraint("support_intervention_actor"),
            models.CheckConstraint(
                name="support_period_in_order",
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
            ),
        ]
        indexes = [
            models.Index(fields=["case", "area", "status"], name="support_interv_case_idx"),
            models.Index(fields=["status", "period_end"], name="support_interv_end_idx"),
        ]

    def __str__(self) -> str:
        return self.type.name


class Task(Actor):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_tasks")
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    title = models.CharField(_("uppgift"), max_length=200)
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    done_at = models.DateTimeField(_("klarmarkerad"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(_("anteckning när uppgiften blev klar"), blank=True)
    # A task owned by a role in a unit sits in that unit's queue until someone holding the role
    # there takes it ("Ta uppgiften"); handing it back empties this again.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tagen av"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        constraints = [Actor.actor_constraint("support_task_actor")]
        indexes = [
            models.Index(fields=["case", "area"], name="support_task_case_idx"),
            models.Index(fields=["actor_user", "done_at", "due_on"], name="support_task_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class FollowUp(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(
        _("månader efter skyddat boende"), null=True, blank=True
    )
    planned_on = models.DateField(_("planerat datum"))
    held_on = models.DateField(_("genomfört datum"), null=True, blank=True)
    participants = models.CharField(_("deltagare"), max_length=300, blank=True)
    # Whether the follow-up reached the person: a held follow-up without contact is still a
    # fact worth knowing (lost contact is an early sign of relapse).
    contact_made = models.BooleanField(_("kontakt med personen"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    assessment_round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ny bedömning"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "months"],
                condition=Q(months__isnull=False),
                name="support_one_follow_up_per_month",
            )
        ]
        indexes = [models.Index(fields=["held_on", "planned_on"], name="support_followup_due_idx")]

    def __str__(self) -> str:
        return _("Uppföljning %(date)s") % {"date": self.planned_on.isoformat()}


class FollowUpSchedule(models.Model):
    """A municipality's follow-up schedule, in months after leaving protected housing."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="follow_up_schedule"
    )
    months = models.JSONField(_("månader"), default=list)

    class Meta:
        verbose_name = _("uppföljningsschema")
        verbose_name_plural = _("uppföljningsscheman")

    def __str__(self) -> str:
        return ", ".join(str(m) for m in self.months)


class EarlyWarningSettings(models.Model):
    """A municipality's thresholds for the early-warning signals."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="early_warning_settings"
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("dagar utan kontakt innan signal"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("inställning för tidiga varningar")
        verbose_name_plural = _("inställningar för tidiga varningar")

    def __str__(self) -> str:
        return str(self.municipality)


class ImplementationNote(models.Model):
    """A genomförandeanteckning: how an intervention or task is being carried out.

    Written by those who carry out a part of the plan (housing support, contact-person
    coordinators, the case's workers); the case team reads them on the case page. Never edited.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="implementation_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("datum"), default=timezone.localdate)
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    # Encrypted at rest like the journal: it describes the person's everyday life.
    text = EncryptedTextField(_("anteckning"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("genomförandeanteckning")
        verbose_name_plural = _("genomförandeanteckningar")
        indexes = [models.Index(fields=["case", "written_on"], name="support_implnote_case_idx")]

    def __str__(self) -> str:
        return f"{self.written_on:%Y-%m-%d} {self.get_area_display()}"


class DistrictRoute(models.Model):
    """How a district handles an intervention type: which unit decides it, which unit carries
    it out, and who owns it in the plan by default (a role in a unit).

    Districts differ (a SHIS transitional flat is granted by the violence team in one, by
    financial aid in another); the plan's actor picker proposes the route for the case's
    district, and the city view shows the routes side by side. See ADR 0110.
    """

    district = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stadsdel"),
    )
    intervention_type = models.ForeignKey(
        InterventionType, on_delete=models.PROTECT, related_name="routes", verbose_name=_("insats")
    )
    deciding_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("beslutande enhet")
    )
    carrying_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("utförande enhet")
    )
    owner_role = models.CharField(_("ansvarig roll"), max_length=30, choices=Role.choices)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarig enhet")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rutin i stadsdelen")
        verbose_name_plural = _("rutiner i stadsdelarna")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "intervention_type"], name="support_one_route_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type_id} @ {self.district_id}"


# Far in the future: "carried with no end date" in CaseAreaState.carried_until (a real date,
# so the same comparison works on PostgreSQL and SQLite).
CARRIED_WITHOUT_END = datetime.date(9999, 12, 31)


class CaseState(models.Model):
    """Precomputed facts about one case that the daily pages read for thousands of cases at once
    (the early-warning signals), kept up to date by `brygga.support.state.refresh` whenever
    what they are computed from changes, in the same transaction. Never edited by hand: the
    command `rebuild_case_state` recomputes every row from the records (docs/decisions/0120).

    Only dates are stored, never a verdict that depends on today: the pages compare them with
    today's date, so a row never goes stale while nothing changes.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="state")
    # The latest contact: a signed journal note or a follow-up held with the person reached
    # (None: none yet; the pages then count from the day the case opened).
    last_contact_on = models.DateField(null=True, blank=True)
    # The earliest planned follow-up not yet held (None: none waiting).
    next_follow_up_on = models.DateField(null=True, blank=True)
    # The latest risk assessment's review date (None: never risk-assessed).
    risk_review_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("ärendets läge")
        verbose_name_plural = _("ärendenas läge")

    def __str__(self) -> str:
        return f"{self.case_id}"


class CaseAreaState(models.Model):
    """One need area of one case, precomputed like CaseState: the latest assessed level (and the
    one before it), and until when someone carries the area. A case has a row for every core
    area and for every area ever assessed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="area_states")
    area = models.CharField(max_length=20, choices=NeedArea.choices)
    # The latest assessment's level and date (None: never assessed), and the level of the
    # assessment before it (None: assessed once or never).
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    previous_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # The last day a granted or active intervention carries the area (CARRIED_WITHOUT_END:
    # open-ended, or an open task there has an owner); None: nobody carries it.
    carried_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("behovsområdets läge")
        verbose_name_plural = _("behovsområdenas läge")
        constraints = [
            models.UniqueConstraint(fields=["case", "area"], name="support_one_state_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.area}"
