"""What went wrong with the database, in words an operator or a user can act on.

Used by the health check, the error pages and start-up (manage.py, wsgi.py) so that a database
that is down, read-only or full gives a clear message instead of a traceback.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError


class Trouble(enum.Enum):
    UNREACHABLE = "unreachable"
    READ_ONLY = "read_only"
    FULL = "full"


# SQLite and PostgreSQL wording of the faults that are not "unreachable".
_READ_ONLY_MARKERS = ("readonly database", "read-only", "read only")
_FULL_MARKERS = ("disk is full", "no space left", "disk full", "could not extend file")


def trouble(exc: BaseException | None) -> Trouble | None:
    """The kind of database fault `exc` is, or None when it is not a database fault."""
    if not isinstance(exc, DatabaseError):
        return None
    text = str(exc).lower()
    if any(marker in text for marker in _FULL_MARKERS):
        return Trouble.FULL
    if any(marker in text for marker in _READ_ONLY_MARKERS):
        return Trouble.READ_ONLY
    if isinstance(exc, OperationalError | InterfaceError):
        return Trouble.UNREACHABLE
    return None


def describe(settings_dict: Mapping[str, Any]) -> str:
    """Which database, without the password: `postgresql brygga at db.example:5432`."""
    engine = str(settings_dict.get("ENGINE", "")).rsplit(".", 1)[-1]
    name = settings_dict.get("NAME", "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    where = f" at {host}:{port}" if host else ""
    return f"{engine} {name}{where}"


def startup_message(exc: BaseException, settings_dict: Mapping[str, Any]) -> str:
    """The one-paragraph message printed instead of a traceback when start-up meets a fault."""
    kind = trouble(exc)
    database = describe(settings_dict)
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if kind is Trouble.READ_ONLY:
        advice = "The database is read-only: check the file's and directory's permissions."
    elif kind is Trouble.FULL:
        advice = "The disk holding the database is full: free space and start again."
    else:
        advice = (
            "Check that the database server is running and that DATABASE_URL is right. "
            "A running Brygga answers 503 on /health/ while the database is unreachable."
        )
    return f"Brygga cannot use the database ({database}): {first_line}\n{advice}"
