"""The tamper-evident hash chain over audit events.

Each row stores `prev_hash` (the hash of the row before it, in id order) and `hash`, an
HMAC-SHA-256 keyed with settings.AUDIT_CHAIN_KEY over a canonical serialisation of the row's
own fields and `prev_hash`. Changing a row breaks its hash; removing or inserting a row breaks
the next row's `prev_hash`; and without the key nobody can forge a row that verifies.
`manage.py audit_verify` walks the chain.

Appending is serialised so the chain never forks: on PostgreSQL by an advisory transaction
lock taken only for the append (lock, read the last hash, INSERT); SQLite serialises writers
already (BEGIN IMMEDIATE). The lock is released when the surrounding transaction ends, so a
request's audit write should come last in a short transaction (as the services do).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

from brygga.audit.models import AuditEvent

# The prev_hash of the first chained row.
GENESIS = "0" * 64
# Any 64-bit constant that no other part of Brygga uses as an advisory lock key.
ADVISORY_LOCK_KEY = 0x6272_7967_6761_0001  # "brygga" + 1

CHAINED_FIELDS = (
    "at",
    "action",
    "user_id",
    "username",
    "roles",
    "person_id",
    "object_type",
    "object_id",
    "path",
    "request_id",
    "ip_address",
    "reason",
    "detail",
    "prev_hash",
)


def _normalised(field: str, value: Any) -> Any:
    if field == "at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if field == "ip_address" and value and ":" in value:
        return clean_ipv6_address(value)
    if field == "detail":
        # As the database will give it back: JSON types only.
        return json.loads(json.dumps(value or {}))
    return value


def canonical(event: AuditEvent) -> bytes:
    """The bytes the hash covers: sorted-key JSON of the chained fields."""
    data = {field: _normalised(field, getattr(event, field)) for field in CHAINED_FIELDS}
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, canonical(event), hashlib.sha256).hexdigest()


def append(event: AuditEvent) -> AuditEvent:
    """Link `event` to the last row and INSERT it; the only way rows enter the table."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    event.ip_address = _normalised("ip_address", event.ip_address)
    # savepoint=False: inside a request's transaction this adds no SAVEPOINT round trips;
    # a failed audit write fails the whole transaction, as it should.
    with transaction.atomic(using=alias, savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = (
            AuditEvent.objects.using(alias).order_by("-pk").values_list("hash", flat=True).first()
        )
        event.prev_hash = last or GENESIS
        event.hash = compute_hash(event)
        event.save(using=alias, force_insert=True)
    return event


@dataclass(frozen=True)
class Problem:
    event_id: int
    message: str

    def __str__(self) -> str:
        return f"#{self.event_id}: {self.message}"


@dataclass
class Verification:
    checked: int = 0
    unchained: int = 0
    head_id: int | None = None
    head_hash: str = ""

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(alias: str, chunk_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.using(alias).order_by("pk").iterator(chunk_size=chunk_size)


def verify(*, using: str = "default", chunk_size: int = 2000) -> Verification:
    """Walk the whole chain in id order, in constant memory.

    Rows without a hash are accepted only before the first chained row (written before the
    chain existed). The first chained row must start from GENESIS, so removing the start of
    the chain shows too. Removing rows from the very end cannot show in a chain alone: keep
    the printed head (id and hash) somewhere else and compare.
    """
    result = Verification()
    previous: str | None = None
    for event in _rows(using, chunk_size):
        if not event.hash and previous is None:
            result.unchained += 1
            continue
        result.checked += 1
        expected_prev = GENESIS if previous is None else previous
        if event.prev_hash != expected_prev:
            result.problems.append(
                Problem(event.pk, str(_("länken till föregående rad stämmer inte")))
            )
        if not hmac.compare_digest(event.hash, compute_hash(event)):
            result.problems.append(Problem(event.pk, str(_("radens innehåll stämmer inte"))))
        previous = event.hash
        result.head_id, result.head_hash = event.pk, event.hash
    return result
