"""The tamper-evident hash chain over audit events.

Each sealed row stores `prev_hash` (the hash of the sealed row before it, in id order) and
`hash`, an HMAC-SHA-256 keyed with settings.AUDIT_CHAIN_KEY over a canonical serialisation of
the row's own fields and `prev_hash`. Changing a row breaks its hash; removing or inserting a
row breaks the next row's `prev_hash`; and without the key nobody can forge a row that
verifies. `manage.py audit_verify` walks the chain.

Writing and chaining are separate (decision 0080), so writers never queue behind each other:

- `append` INSERTs the row *pending*: `prev_hash` empty and `hash` the HMAC of the row with an
  empty `prev_hash` (a seal of its content alone, so a row written past Brygga without the key
  shows). On PostgreSQL it first takes a *shared* advisory lock: writers never wait for each
  other, only, briefly, for the sealer's barrier.
- `seal` chains the pending rows in id order, in batches, under its own lock. On PostgreSQL it
  first takes the advisory lock *exclusively* for an instant: every writer that took the shared
  lock has then committed or rolled back, so no row below the highest id it then reads can still
  appear. Sealing is the only UPDATE the table allows, once per row (migration 0004).
- `verify` treats rows after the last sealed one as pending: counted, their content seal
  checked, never reported as verified.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any, cast

from django.conf import settings
from django.db import OperationalError, connections, router, transaction
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

from brygga.audit import anchor
from brygga.audit.models import AuditEvent
from brygga.lib import bulk

logger = logging.getLogger(__name__)

# The prev_hash of the first chained row.
GENESIS = "0" * 64
# Any 64-bit constant that no other part of Brygga uses as an advisory lock key.
ADVISORY_LOCK_KEY = 0x6272_7967_6761_0001  # "brygga" + 1: writers shared, the barrier exclusive
SEALER_LOCK_KEY = 0x6272_7967_6761_0002  # one sealer at a time
# SQL keywords are case-insensitive: mutating their case changes nothing (pragma).
BARRIER_SQL = "SELECT pg_advisory_xact_lock(%s)"  # pragma: no mutate
TRY_SEALER_LOCK_SQL = "SELECT pg_try_advisory_xact_lock(%s)"  # pragma: no mutate
LINK_SQL = (  # pragma: no mutate - as above; VALUES columns are column1… on both databases
    "UPDATE audit_auditevent SET prev_hash = v.column2, hash = v.column3 "
    "FROM (VALUES {values}) AS v WHERE audit_auditevent.id = v.column1"
)
# Rows read per batch or chunk: any size seals and verifies the same rows (pragma).
ROWS_AT_A_TIME = 2000  # pragma: no mutate

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


def content_seal(event: AuditEvent) -> str:
    """The hash a pending row carries: the same HMAC, over the row with an empty prev_hash."""
    sealed_prev = event.prev_hash
    event.prev_hash = ""
    try:
        return compute_hash(event)
    finally:
        event.prev_hash = sealed_prev


def _is_postgres(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


def append(event: AuditEvent) -> AuditEvent:
    """INSERT `event` pending (see the module docstring); the only way rows enter the table."""
    alias = router.db_for_write(AuditEvent)
    event.ip_address = _normalised("ip_address", event.ip_address)
    event.prev_hash = ""
    event.hash = content_seal(event)
    if _is_postgres(alias):
        _insert_behind_barrier(alias, event)
        return event
    # savepoint=False: inside a request's transaction this adds no SAVEPOINT round trips;
    # a failed audit write fails the whole transaction, as it should.
    with transaction.atomic(using=alias, savepoint=False):
        event.save(using=alias, force_insert=True)
    return event


@functools.cache
def _insert_sql(alias: str) -> tuple[str, tuple[Any, ...]]:
    connection = connections[alias]
    fields = tuple(f for f in AuditEvent._meta.concrete_fields if not f.primary_key)
    q = connection.ops.quote_name
    columns = ", ".join(q(cast(str, f.column)) for f in fields)
    values = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
    table, pk = q(AuditEvent._meta.db_table), q(cast(str, AuditEvent._meta.pk.column))
    # Table and column names from the model, every value a parameter.
    sql = (
        "WITH barrier AS (SELECT pg_advisory_xact_lock_shared(%s)) "  # noqa: S608
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM barrier RETURNING {pk}"
    )
    return sql, fields


def _insert_behind_barrier(alias: str, event: AuditEvent) -> None:
    """One statement, one round trip: take the writers' lock *shared*, then INSERT. The lock is
    taken before the row (and its id) is made, and held to the end of the writer's transaction
    (the statement's own in autocommit, else the request's), so the sealer's barrier waits for
    it exactly as before. A failure leaves nothing behind, and inside a request's transaction
    fails that transaction, as it should."""
    connection = connections[alias]
    sql, fields = _insert_sql(alias)
    params = [ADVISORY_LOCK_KEY]
    add = True  # pragma: no mutate - no audit field is auto_now(_add): `add` changes no value
    params += [f.get_db_prep_save(f.pre_save(event, add), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (event.pk,) = cursor.fetchone()
    # As Model.save leaves it; nothing reads it from an append-only row (pragma).
    event._state.adding = False  # pragma: no mutate
    event._state.db = alias  # pragma: no mutate


def _sealable_up_to(alias: str) -> int | None:
    """The highest id below which no pending row can still appear; None if there is none, or
    (PostgreSQL) if a writer's transaction held the barrier up for longer than a second."""
    connection = connections[alias]
    try:
        # One database: `using=None` would be the same alias; SQL is case-insensitive.
        with transaction.atomic(using=alias), connection.cursor() as cursor:  # pragma: no mutate
            if connection.vendor == "postgresql":
                # The barrier: once we hold the lock exclusively, every writer that held it
                # shared has finished. Held only for this short transaction, so writers wait
                # at most for the writers already under way; a stuck one makes us give up.
                cursor.execute("SET LOCAL lock_timeout = '1s'")  # pragma: no mutate
                cursor.execute(BARRIER_SQL, [ADVISORY_LOCK_KEY])
            # SQLite has one writer at a time and allocates ids under its write lock.
            cursor.execute("SELECT max(id) FROM audit_auditevent")  # pragma: no mutate
            row = cursor.fetchone()
    except OperationalError:
        logger.warning("audit sealer: writers held the barrier too long; will try again")
        return None
    # An aggregate always returns a row: `if row or True` would be the same.
    return row[0] if row else None  # pragma: no mutate


def seal(
    *, using: str = "default", batch_size: int = ROWS_AT_A_TIME, max_batches: int | None = None
) -> int:
    """Chain pending rows in id order; returns how many were sealed.

    A pending row whose content seal does not verify (written past Brygga, or changed) is left
    pending, not chained: sealing it would launder it; `verify` reports it. Safe to run from
    several processes at once: one seals a batch at a time, the others stop.
    """
    horizon = _sealable_up_to(using)
    if horizon is None:
        return 0
    sealed = batches = 0
    after = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        outcome = _seal_batch(using, horizon, after, batch_size)
        if outcome is None:
            break
        count, after = outcome
        sealed += count
    return sealed


def _seal_batch(alias: str, horizon: int, after: int, batch_size: int) -> tuple[int, int] | None:
    """Seals one batch: (rows sealed, last id looked at), or None when there was nothing to do
    (or another sealer holds the lock)."""
    with transaction.atomic(using=alias):  # pragma: no mutate - one database: None is alias
        if _is_postgres(alias):
            with connections[alias].cursor() as cursor:
                cursor.execute(TRY_SEALER_LOCK_SQL, [SEALER_LOCK_KEY])
                row = cursor.fetchone()
                if not (row and row[0]):
                    return None
        events = AuditEvent.objects.using(alias)  # pragma: no mutate - one database
        head = events.exclude(prev_hash="").order_by("-pk").values_list("pk", "hash").first()
        head_id, previous = head if head else (0, GENESIS)
        pending = list(
            events.filter(pk__gt=max(head_id, after), pk__lte=horizon)
            # Every row above the head is pending; saying so costs nothing (pragma: equivalent).
            .filter(prev_hash="")  # pragma: no mutate
            # A row without any hash fails its content seal below anyway (pragma: only batch
            # sizes would differ): excluded here so a batch is not filled with them.
            .exclude(hash="")  # pragma: no mutate
            .order_by("pk")[:batch_size]
        )
        if not pending:
            return None
        chained = []
        for event in pending:
            if not hmac.compare_digest(event.hash, content_seal(event)):
                continue  # left pending for ever: verify names it
            event.prev_hash = previous
            event.hash = compute_hash(event)
            previous = event.hash
            chained.append(event)
        _write_links(alias, chained)
        return len(chained), pending[-1].pk


# Three parameters a row: well under SQLite's and PostgreSQL's limits.
LINKS_PER_STATEMENT = 500


def _write_links(alias: str, chained: list[AuditEvent]) -> None:
    """One UPDATE joined to a VALUES list per LINKS_PER_STATEMENT rows. Django's bulk_update
    writes CASE WHEN id = … for every row, which the database evaluates per row: quadratic in
    the batch, and the sealer competes with the writers for the same CPU (decision 0085)."""
    with connections[alias].cursor() as cursor:
        for start in range(0, len(chained), LINKS_PER_STATEMENT):
            rows = chained[start : start + LINKS_PER_STATEMENT]
            values = ", ".join(["(%s, %s, %s)"] * len(rows))  # every value a parameter
            cursor.execute(
                LINK_SQL.format(values=values),
                [value for row in rows for value in (row.pk, row.prev_hash, row.hash)],
            )


def load_sealed(events: list[AuditEvent], *, using: str = "default") -> int:
    """Bulk-load historical events already chained (demo and volume data only): seals what is
    pending first, links `events` in list order after the head, and INSERTs them in that order.
    Nobody else may write to the table meanwhile; returns how many were loaded."""
    seal(using=using)
    events_table = AuditEvent.objects.using(using)
    head = events_table.exclude(prev_hash="").order_by("-pk").values_list("pk", "hash").first()
    head_id, previous = head if head else (0, GENESIS)
    # Sealing goes in id order, so every row after the head is one it could not seal (changed,
    # or without any hash): history linked past it would hide it (an index range).
    if events_table.filter(pk__gt=head_id).exists():
        raise RuntimeError("audit events are still pending: cannot load sealed history")
    for event in events:
        event.ip_address = _normalised("ip_address", event.ip_address)
        event.prev_hash = previous
        event.hash = previous = compute_hash(event)
    # Ids are given in list order (COPY on PostgreSQL): they follow the chain.
    bulk.insert(AuditEvent, events, using=using)
    return len(events)


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
    pending: int = 0
    head_id: int | None = None
    head_hash: str = ""

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        """No problem found. Pending rows are not a problem, but they are not verified either."""
        return not self.problems


def _rows(alias: str, chunk_size: int) -> Iterator[AuditEvent]:
    # One database, and any chunk size reads the same rows: equivalent mutants (pragma).
    rows = AuditEvent.objects.using(alias).order_by("pk")  # pragma: no mutate
    return rows.iterator(chunk_size=chunk_size)  # pragma: no mutate


def verify(*, using: str = "default", chunk_size: int = ROWS_AT_A_TIME) -> Verification:
    """Walk the whole chain in id order, in constant memory.

    Rows without a hash are accepted only before the first chained row (written before the
    chain existed). The first sealed row must start from GENESIS, or from the latest anchor
    once the oldest rows were removed (brygga/audit/anchor.py), so removing the start of the
    chain any other way shows too. Pending rows may only follow the last sealed row, and must
    carry a valid content seal. Removing rows from the very end cannot show in a chain alone:
    keep the printed head (id and hash) somewhere else and compare.
    """
    result = Verification()
    # After the oldest rows were removed (anchor.cut), the chain starts at the latest anchor.
    start = anchor.start(using)  # pragma: no mutate - one database: None is the same alias
    result.problems.extend(Problem(anchor_id, message) for anchor_id, message in start.problems)
    first_prev = start.prev_hash or GENESIS
    previous: str | None = None
    started = False  # pragma: no mutate - None is as falsy
    pending_first, pending_count = 0, 0  # valid pending rows since the last sealed one
    for event in _rows(using, chunk_size):  # pragma: no mutate - as in _rows
        if event.pk < start.first_kept_id:
            result.problems.append(Problem(event.pk, str(_("raden ligger före loggens ankare"))))
            continue
        if not event.hash and not started:
            result.unchained += 1
            continue
        started = True
        if not event.prev_hash:
            if hmac.compare_digest(event.hash, content_seal(event)):
                pending_first = pending_first or event.pk
                pending_count += 1
            else:
                result.problems.append(
                    Problem(event.pk, str(_("raden är inte skriven genom kedjan")))
                )
            continue
        if pending_count:
            # Sealing goes in id order: a pending row before a sealed one was slipped in.
            result.problems.append(
                Problem(pending_first, str(_("en väntande rad ligger före förseglade rader")))
            )
            pending_first, pending_count = 0, 0
        result.checked += 1
        expected_prev = first_prev if previous is None else previous
        if event.prev_hash != expected_prev:
            result.problems.append(
                Problem(event.pk, str(_("länken till föregående rad stämmer inte")))
            )
        if not hmac.compare_digest(event.hash, compute_hash(event)):
            result.problems.append(Problem(event.pk, str(_("radens innehåll stämmer inte"))))
        previous = event.hash
        result.head_id, result.head_hash = event.pk, event.hash
    result.pending = pending_count
    if start.prev_hash is not None and not started:
        result.problems.append(
            Problem(start.first_kept_id, str(_("den första kvarvarande raden saknas")))
        )
    return result
