"""The person Brygga supports (klient)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
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
    # Set once the person has had any protection level, never cleared: details recorded under
    # protection stay behind a grant when the level is lowered (decision 0022).
    ever_protected = models.BooleanField(_("har haft skyddsnivå"), default=False, editable=False)
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_protected and not self.ever_protected:
            self.ever_protected = True
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "ever_protected"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection_level != ProtectionLevel.NONE

    @property
    def details_need_grant(self) -> bool:
        """Protected details are revealed only with a right to them: while the person has a
        protection level, and after it was lowered (protected by grant, not by the level)."""
        return self.is_protected or self.ever_protected

    @property
    def identity_display(self) -> str:
        if not self.identity_number:
            return ""
        return f"{self.identity_number[:8]}-{self.identity_number[8:]}"


# Shown where a protected field is not revealed: in lists, exports, documents and error pages.
MASK = "••• skyddad uppgift"


class ProtectedDetails(models.Model):
    """Where the person lives and can be reached: never shown unless explicitly revealed.

    Every field is encrypted at rest. For a protected person (any protection level but none)
    only users with a grant (or the case's responsible worker) may reveal them.
    """

    # Field names in display order; the masking helpers and the edit form use this list.
    FIELDS = (
        "address",
        "phone",
        "whereabouts",
        "workplace",
        "relatives",
        "may_leave_message",
        "safe_times",
        "code_word",
    )

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="protected_details"
    )
    address = EncryptedTextField(_("adress"), blank=True, null=True)
    phone = EncryptedCharField(_("telefon"), max_length=40, blank=True, null=True)
    whereabouts = EncryptedTextField(_("vistelseort"), blank=True, null=True)
    workplace = EncryptedTextField(_("arbetsplats eller skola"), blank=True, null=True)
    relatives = EncryptedTextField(
        _("anhörigas namn"), blank=True, null=True, help_text=_("En per rad.")
    )
    may_leave_message = EncryptedCharField(
        _("får meddelande lämnas?"), max_length=20, blank=True, null=True
    )
    safe_times = EncryptedCharField(
        _("säkra tider att kontakta"), max_length=200, blank=True, null=True
    )
    code_word = EncryptedCharField(_("kodord"), max_length=100, blank=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skyddade uppgifter")
        verbose_name_plural = _("skyddade uppgifter")

    def __str__(self) -> str:
        # Never a value: this string may reach a log or an error report.
        return f"ProtectedDetails(person={self.person_id})"

    def __repr__(self) -> str:
        return str(self)


def grant_expiry() -> datetime.datetime:
    """When a protected-details grant made now ends."""
    return timezone.now() + datetime.timedelta(days=settings.PROTECTED_GRANT_DAYS)


class ProtectedDetailsGrant(models.Model):
    """An explicit right for one user to reveal one protected person's details."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="detail_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="detail_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("skäl"))
    granted_at = models.DateTimeField(default=timezone.now)
    # A grant ends by itself (PROTECTED_GRANT_DAYS); a manager may revoke it before.
    expires_at = models.DateTimeField(default=grant_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("behörighet till skyddade uppgifter")
        verbose_name_plural = _("behörigheter till skyddade uppgifter")
        indexes = [models.Index(fields=["user", "person"], name="grant_user_person_idx")]

    def __str__(self) -> str:
        return f"grant person={self.person_id} user={self.user_id}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på beslut")
    APPROVED = "approved", _("Beviljad")
    DENIED = "denied", _("Avslagen")


class AccessRequest(models.Model):
    """A user asks to see a protected person's details; a manager of the owning unit decides."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("skäl"))
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("begäran om skyddade uppgifter")
        verbose_name_plural = _("begäranden om skyddade uppgifter")
        indexes = [models.Index(fields=["status", "case"], name="accessreq_status_case_idx")]

    def __str__(self) -> str:
        return f"access request {self.pk}"
