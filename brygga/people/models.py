"""The person Brygga supports (klient)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords


class ProtectionLevel(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARKING = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")
    FICTITIOUS_IDENTITY = "fingerade_personuppgifter", _("Fingerade personuppgifter")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "other", _("Annat / ickebinär")
    UNKNOWN = "unknown", _("Okänt")


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Samordningsnummer")
    NONE = "none", _("Saknas")


class Person(models.Model):
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    identity_kind = models.CharField(
        _("typ av identitetsnummer"),
        max_length=20,
        choices=IdentityKind.choices,
        default=IdentityKind.NONE,
    )
    # Twelve digits, encrypted at rest; found through identity_index, never by value.
    identity_number = EncryptedCharField(_("personnummer"), max_length=12, blank=True, null=True)
    identity_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("kön"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"))
    protection_level = models.CharField(
        _("skyddsnivå"),
        max_length=30,
        choices=ProtectionLevel.choices,
        default=ProtectionLevel.NONE,
    )
    accompanying_children = models.PositiveSmallIntegerField(
        _("medföljande barn"), default=0, help_text=_("Antal barn som följt med personen.")
    )
    is_fictional = models.BooleanField(
        _("fiktiv person"), default=False, editable=False, help_text=_("Skapad som demodata.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection_level != ProtectionLevel.NONE

    @property
    def identity_display(self) -> str:
        if not self.identity_number:
            return ""
        return f"{self.identity_number[:8]}-{self.identity_number[8:]}"
