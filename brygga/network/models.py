"""Budget assignments (budgetuppdrag) the assistant unit managers' network follows up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.organisation.models import Administration, Unit


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Inte påbörjat")
    IN_PROGRESS = "in_progress", _("Pågår")
    PAUSED = "paused", _("Pausat")
    DONE = "done", _("Klart")


class BudgetAssignment(models.Model):
    """One of the city's development assignments, owned by a district or a unit."""

    title = models.CharField(_("uppdrag"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible_district = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig förvaltning"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig enhet"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
    )
    next_check_in = models.DateField(_("nästa avstämning"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("budgetuppdrag")
        verbose_name_plural = _("budgetuppdrag")
        ordering = ["next_check_in", "title"]
        constraints = [
            models.CheckConstraint(
                name="network_one_responsible",
                condition=Q(responsible_district__isnull=False, responsible_unit__isnull=True)
                | Q(responsible_district__isnull=True, responsible_unit__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible(self) -> str:
        if self.responsible_unit is not None:
            return str(self.responsible_unit)
        return str(self.responsible_district or "")


class MeetingNote(models.Model):
    """What a network meeting said about an assignment."""

    assignment = models.ForeignKey(BudgetAssignment, on_delete=models.CASCADE, related_name="notes")
    met_on = models.DateField(_("mötesdatum"))
    text = models.TextField(_("anteckning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("anteckning från nätverksmöte")
        verbose_name_plural = _("anteckningar från nätverksmöten")
        ordering = ["-met_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.met_on:%Y-%m-%d}"
