"""One append-only table of events. The database itself rejects UPDATE and DELETE."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Visning")
    SEARCH = "search", _("Sökning")
    CREATE = "create", _("Skapande")
    UPDATE = "update", _("Ändring")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Utskrift")
    LOGIN = "login", _("Inloggning")
    LOGOUT = "logout", _("Utloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    SECOND_FACTOR = "second_factor", _("Andra faktorn godkänd")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Andra faktorn underkänd")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Autentiserare registrerad")
    EMERGENCY_ACCESS = "emergency_access", _("Nödåtkomst")
    CONSENT_CHANGE = "consent_change", _("Ändrat samtycke")
    RETENTION = "retention", _("Gallring")


class AuditEvent(models.Model):
    # No foreign keys: an append-only row can never cascade or be nulled.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    roles = models.CharField(
        max_length=300, blank=True, help_text="The user's roles as role@unit_id when it happened."
    )
    # Indexed by audit_person_at_idx, whose leading column it is: a second index of its own
    # would cost every INSERT an index write and serve no query (decision 0085).
    person_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (brygga/audit/chain.py): HMAC-SHA-256 over this row's fields and the
    # previous row's hash. Pending (not yet sealed): prev_hash blank, hash over the row alone.
    # Both blank only on rows written before the chain existed.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        indexes = [models.Index(fields=["person_id", "at"], name="audit_person_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class AuditAnchor(models.Model):
    """Where the log starts after its oldest rows were removed (brygga/audit/anchor.py).

    Rows with an id below `first_kept_id` were removed; the row `first_kept_id` links to
    `prev_hash`. `hash` seals the anchor with the chain key and links it to the anchor before.
    Append-only like the log; the log's DELETE trigger allows removing only rows below the
    latest anchor's `first_kept_id`.
    """

    at = models.DateTimeField(default=timezone.now)
    removed_before = models.DateTimeField(help_text="Rows written before this were removed.")
    first_kept_id = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    removed = models.PositiveIntegerField()
    previous = models.CharField(max_length=64, help_text="The hash of the anchor before it.")
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("loggankare")
        verbose_name_plural = _("loggankare")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.first_kept_id}"


class PersonShown(models.Model):
    """A person a page showed in a list, a search hit or the log review: one row per person per
    event, so the person's log extract finds every list they appeared in (by index).

    The event's own `detail["persons"]` (under the hash chain) stays the evidence; this table
    is the lookup written in the same transaction. No foreign keys, like the events.
    """

    event_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("visad person")
        verbose_name_plural = _("visade personer")
        indexes = [models.Index(fields=["person_id", "event_id"], name="audit_shown_person_idx")]

    def __str__(self) -> str:
        return f"event {self.event_id} showed person {self.person_id}"
