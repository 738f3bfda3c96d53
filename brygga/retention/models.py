"""Legal holds that stop removal, and the non-personal tombstones that removal leaves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.cases.models import Case
from brygga.organisation.models import Unit


class HoldGround(models.TextChoices):
    COURT = "court", _("Pågående domstolsprocess")
    ARCHIVE_AUTHORITY = "archive_authority", _("Arkivmyndighetens beslut")
    PUBLIC_ACCESS_REQUEST = "public_access_request", _("Begäran om utlämnande prövas")
    OTHER_LAW = "other_law", _("Annan lag kräver bevarande")


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def in_force(self) -> LegalHoldQuerySet:
        return self.filter(lifted_on__isnull=True)


class LegalHold(models.Model):
    """A recorded decision that a case must be kept, whatever the retention rules say."""

    # PROTECT: a case under a hold can never be deleted, even by mistake.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    ground = models.CharField(_("grund"), max_length=30, choices=HoldGround.choices)
    reason = models.TextField(_("motivering"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("beslutsdatum"), default=timezone.localdate)
    lifted_on = models.DateField(_("upphävd"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(_("skäl för upphävandet"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevarandebeslut")
        verbose_name_plural = _("bevarandebeslut")

    def __str__(self) -> str:
        return f"{self.get_ground_display()} {self.decided_on:%Y-%m-%d}"


class Tombstone(models.Model):
    """What is left of a removed case, for statistics: nothing that points to a person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    opened_year = models.PositiveSmallIntegerField()
    closed_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_entry_year = models.PositiveSmallIntegerField()
    removed_on = models.DateField(default=timezone.localdate)
    # Rows removed per kind of record, e.g. {"journal.JournalNote": 12}.
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("gallrat ärende")
        verbose_name_plural = _("gallrade ärenden")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.opened_year}–{self.closed_year}"
