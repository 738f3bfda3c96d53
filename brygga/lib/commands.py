"""Small pieces shared by Brygga's management commands."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError


def iso_date(text: str) -> datetime.date:
    """An argparse `type` for a YYYY-MM-DD argument: a clear error instead of a traceback."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from exc
