"""Emergency access (nödåtkomst): a time-limited, audited way into a case outside one's team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS)


class EmergencyAccess(models.Model):
    """Read access to one case for one user until `expires_at`; the unit manager reviews it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("skäl"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_expiry)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")
        indexes = [
            models.Index(fields=["user", "case", "expires_at"], name="emergency_user_case_idx"),
            models.Index(fields=["case", "acknowledged_at"], name="emergency_case_ack_idx"),
        ]

    def __str__(self) -> str:
        return f"emergency access {self.pk} case={self.case_id} user={self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
