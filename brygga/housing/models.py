"""Transitional housing: the flats each district holds, who holds them, and who waits.

A flat's address is a protected fact (the person living there may be hunted): encrypted at
rest, masked everywhere, revealed only through the audited reveal page (brygga/access/housing.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from brygga.cases.models import Case, OutcomeEvent
from brygga.organisation.models import Administration, Unit
from brygga.support.models import Intervention


class FlatKind(models.TextChoices):
    EMERGENCY = "emergency", _("Jourlägenhet")
    TRANSITIONAL = "transitional", _("Genomgångsbostad (SHIS)")
    TRAINING = "training", _("Träningslägenhet")
    OTHER = "other", _("Annat tillfälligt boende")


class FlatStatus(models.TextChoices):
    FREE = "free", _("Ledig")
    HELD = "held", _("Upptagen")
    BLOCKED = "blocked", _("Spärrad för reparation")


class Flat(models.Model):
    """One unit of transitional housing in a district's inventory."""

    district = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="flats", verbose_name=_("stadsdel")
    )
    holding_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="flats", verbose_name=_("förfogande enhet")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=FlatKind.choices)
    # A designation that says nothing about where the flat is, for lists and talk.
    label = models.CharField(_("beteckning"), max_length=40)
    rooms = models.PositiveSmallIntegerField(_("antal rum"), default=1)
    area_sqm = models.PositiveSmallIntegerField(_("yta (m²)"), null=True, blank=True)
    landlord = models.CharField(_("hyresvärd"), max_length=120)
    available_from = models.DateField(_("tillgänglig från"))
    blocked = models.BooleanField(_("spärrad för reparation"), default=False)
    address = EncryptedTextField(_("adress"), blank=True, null=True)
    removed_on = models.DateField(_("borttagen ur beståndet"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("lägenhet")
        verbose_name_plural = _("lägenheter")
        ordering = ["district__name", "kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["district", "label"], name="housing_unique_label"),
            models.CheckConstraint(name="housing_rooms_positive", condition=Q(rooms__gte=1)),
        ]
        indexes = [models.Index(fields=["district", "kind"], name="housing_flat_district_idx")]

    def __str__(self) -> str:
        # Never the address: this string reaches lists, logs and error reports.
        return f"{self.label} ({self.get_kind_display()})"

    def __repr__(self) -> str:
        return f"Flat(pk={self.pk})"


class MovedTo(models.TextChoices):
    OWN_LEASE = "own_lease", _("Eget hyreskontrakt")
    SECOND_HAND = "second_hand", _("Andrahandskontrakt")
    PROTECTED_HOUSING = "protected_housing", _("Tillbaka till skyddat boende")
    FAMILY = "family", _("Tillbaka till familjen")
    UNKNOWN = "unknown", _("Okänt")


class Allocation(models.Model):
    """A flat held by a case from a decision; the occupied days are [starts_on, ended_on).

    Two allocations of one flat never overlap: an exclusion constraint on PostgreSQL and a
    trigger on SQLite (migration 0002) back up the check in services.allocate.
    """

    flat = models.ForeignKey(
        Flat, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("lägenhet")
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="+", verbose_name=_("beslut")
    )
    starts_on = models.DateField(_("inflyttning"))
    until = models.DateField(_("beviljad till"), null=True, blank=True)
    ended_on = models.DateField(_("utflyttning"), null=True, blank=True)
    moved_to = models.CharField(
        _("flyttade till"), max_length=30, choices=MovedTo.choices, blank=True
    )
    outcome = models.ForeignKey(
        OutcomeEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="housing_end_not_before_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="housing_until_not_before_start",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="housing_ended_has_destination",
                condition=Q(ended_on__isnull=True, moved_to="")
                | (Q(ended_on__isnull=False) & ~Q(moved_to="")),
            ),
        ]
        indexes = [
            models.Index(fields=["flat", "starts_on"], name="housing_alloc_flat_idx"),
            models.Index(fields=["case"], name="housing_alloc_case_idx"),
        ]

    def __str__(self) -> str:
        return _("Tilldelning %(number)s") % {"number": self.pk}

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Priority(models.IntegerChoices):
    URGENT = 1, _("Akut")
    HIGH = 2, _("Hög")
    NORMAL = 3, _("Normal")


class LeftReason(models.TextChoices):
    """Why a person left the waiting list."""

    ALLOCATED = "allocated", _("Fick en lägenhet")
    HOUSED_ELSEWHERE = "housed_elsewhere", _("Har fått boende på annat sätt")
    NO_LONGER_NEEDED = "no_longer_needed", _("Behovet finns inte längre")
    MOVED_AWAY = "moved_away", _("Har flyttat från stadsdelen")
    DECLINED = "declined", _("Tackade nej till erbjudet boende")
    CASE_CLOSED = "case_closed", _("Ärendet är avslutat")
    OTHER = "other", _("Annat skäl")


class WaitingEntry(models.Model):
    """A case waiting for a kind of transitional housing in a district."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="housing_waits")
    district = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel")
    )
    kind = models.CharField(_("typ av boende"), max_length=20, choices=FlatKind.choices)
    since = models.DateField(_("väntar sedan"))
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=Priority.choices, default=Priority.NORMAL
    )
    left_on = models.DateField(_("lämnade kön"), null=True, blank=True)
    left_reason = models.CharField(
        _("skäl att lämna kön"), max_length=30, choices=LeftReason.choices, blank=True
    )
    left_note = models.CharField(_("kommentar"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plats i kön")
        verbose_name_plural = _("kö till tillfälligt boende")
        ordering = ["priority", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(left_on__isnull=True),
                name="housing_one_wait_per_kind",
            ),
            models.CheckConstraint(
                name="housing_left_not_before_since",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("since")),
            ),
        ]
        indexes = [models.Index(fields=["district", "kind", "left_on"], name="housing_wait_idx")]

    def __str__(self) -> str:
        return _("Köplats %(number)s") % {"number": self.pk}


class WaitingNorm(models.Model):
    """How long a district considers an acceptable wait for a kind of housing."""

    district = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("typ av boende"), max_length=20, choices=FlatKind.choices)
    days = models.PositiveSmallIntegerField(_("normal väntetid (dagar)"))

    class Meta:
        verbose_name = _("norm för väntetid")
        verbose_name_plural = _("normer för väntetid")
        constraints = [
            models.UniqueConstraint(fields=["district", "kind"], name="housing_one_norm")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"
