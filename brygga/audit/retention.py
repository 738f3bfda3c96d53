"""The audit log's own retention: rows older than AUDIT_RETENTION_YEARS go (decision 0092)."""

from __future__ import annotations

import datetime

from django.conf import settings

from brygga.audit import anchor
from brygga.audit.log import record
from brygga.audit.models import Action


def remove_old_rows(today: datetime.date, years: int | None = None) -> anchor.Cut:
    """Cut the log before `today` minus the retention period; one audit event if rows went."""
    before = anchor.cutoff(today, years if years is not None else settings.AUDIT_RETENTION_YEARS)
    result = anchor.cut(before)
    if result.anchor is not None:
        record(
            None,
            Action.RETENTION,
            username="gallring",
            obj=result.anchor,
            detail={"removed": result.removed, "before": before.isoformat()},
        )
    return result
