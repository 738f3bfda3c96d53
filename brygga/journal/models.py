"""The journal (journalanteckningar): dated notes per case. A signed note is never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from brygga.cases.models import Case


class JournalNoteQuerySet(models.QuerySet["JournalNote"]):
    def signed(self) -> JournalNoteQuerySet:
        return self.filter(signed_at__isnull=False)

    def with_correction_flag(self) -> JournalNoteQuerySet:
        """Adds `is_corrected`: a signed correction points at the note."""
        corrections: QuerySet[JournalNote] = JournalNote.objects.filter(
            corrects=OuterRef("pk"), signed_at__isnull=False
        )
        return self.annotate(is_corrected=Exists(corrections))


class JournalNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_notes"
    )
    written_on = models.DateField(_("datum"), default=timezone.localdate)
    title = models.CharField(_("rubrik"), max_length=150, blank=True)
    # Encrypted at rest: unreadable in a stolen dump or backup.
    text = EncryptedTextField(_("anteckning"), blank=True, null=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar"),
    )
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JournalNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        indexes = [
            models.Index(fields=["case", "written_on"], name="journal_case_on_idx"),
            models.Index(fields=["author", "signed_at"], name="journal_author_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.written_on:%Y-%m-%d} {self.title}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
