"""Removing the oldest audit rows without losing the proof of the rest (decision 0092).

The log has its own retention period (settings.AUDIT_RETENTION_YEARS), longer than a case's:
a person may ask who read their data after the case is gone. Rows are removed only as a
*prefix* of the log, in id order, and only through `cut`: it first writes an `AuditAnchor`
holding the id of the first kept row and the hash that row links to, sealed with the chain key
(HMAC) and linked to the anchor before it, then deletes the rows below it. The database's
DELETE trigger allows nothing else. `brygga.audit.chain.verify` starts from the latest anchor
instead of GENESIS, so the kept chain still verifies, while a changed row, a changed or removed
anchor, or a row removed from the middle still shows.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.audit.models import AuditAnchor, AuditEvent, PersonShown

ANCHOR_GENESIS = "0" * 64
CUT_LOCK_KEY = 0x6272_7967_6761_0003  # "brygga" + 3, beside the chain's keys (chain.py)
ANCHOR_FIELDS = ("at", "removed_before", "first_kept_id", "prev_hash", "removed", "previous")


def anchor_hash(anchor: AuditAnchor) -> str:
    data = {
        name: (value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
               if isinstance(value, datetime.datetime) else value)
        for name in ANCHOR_FIELDS
        for value in [getattr(anchor, name)]
    }  # fmt: skip
    payload = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Start:
    """Where verification starts: the first kept id and the hash it links to."""

    first_kept_id: int
    prev_hash: str | None  # None: no anchor, start from the chain's GENESIS
    problems: tuple[tuple[int, str], ...] = ()  # (anchor id, what is wrong)


def start(using: str = "default") -> Start:
    """Checks every anchor (seal and link, in id order) and returns the latest one's start."""
    problems: list[tuple[int, str]] = []
    previous = ANCHOR_GENESIS
    latest: AuditAnchor | None = None
    for anchor in AuditAnchor.objects.using(using).order_by("pk"):
        if anchor.previous != previous:
            problems.append((anchor.pk, _("ankarets länk till ankaret före stämmer inte")))
        if not hmac.compare_digest(anchor.hash, anchor_hash(anchor)):
            problems.append((anchor.pk, _("ankarets innehåll stämmer inte med dess sigill")))
        if latest is not None and anchor.first_kept_id < latest.first_kept_id:
            problems.append((anchor.pk, _("ankaret börjar före ankaret före det")))
        previous, latest = anchor.hash, anchor
    if latest is None:
        return Start(0, None, tuple(problems))
    return Start(latest.first_kept_id, latest.prev_hash, tuple(problems))


def cutoff(today: datetime.date, years: int) -> datetime.datetime:
    """The start of the day `years` before today: rows written before it may go."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class NotVerified(Exception):
    """The chain has problems: cutting now would hide them, so nothing was removed."""


@dataclass(frozen=True)
class Cut:
    removed: int
    anchor: AuditAnchor | None


def due(before: datetime.datetime, using: str = "default") -> tuple[int, AuditEvent | None]:
    """How many rows a cut at `before` removes, and the first row it keeps.

    The prefix ends at the first row written on or after `before`, at the first pending row,
    and at the latest sealed row at the latest (it is kept, so the sealer can go on from it).
    """
    events = AuditEvent.objects.using(using)
    head = events.exclude(prev_hash="").aggregate(head=Max("pk"))["head"]
    if head is None:
        return 0, None
    boundary = (
        events.filter(pk__lte=head)
        .filter(at__gte=before)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    first_kept_id = min(boundary or head, head)
    first_kept = events.get(pk=first_kept_id)
    return events.filter(pk__lt=first_kept_id).count(), first_kept


def cut(before: datetime.datetime, *, using: str = "default") -> Cut:
    """Remove every audit row written before `before` (a prefix), behind a sealed anchor.

    Refuses (NotVerified) when the chain does not verify: removing rows then could hide
    tampering. Atomic: the anchor and the removal commit together or not at all.
    """
    from brygga.audit import chain  # chain imports this module for verify

    if not due(before, using)[0]:
        return Cut(0, None)  # most nights: nothing old enough, no need to walk the chain
    checked = chain.verify(using=using)
    if not checked.ok:
        raise NotVerified(f"{len(checked.problems)} problem(s)")
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            # One cut at a time: two would both link their anchor to the same one before.
            # (SQLite's write transactions are serialised already.)
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CUT_LOCK_KEY])
        removed, first_kept = due(before, using)
        if not removed or first_kept is None:
            return Cut(0, None)
        latest = AuditAnchor.objects.using(using).order_by("-pk").first()
        anchor = AuditAnchor(
            at=timezone.now(),
            removed_before=before,
            first_kept_id=first_kept.pk,
            prev_hash=first_kept.prev_hash,
            removed=removed,
            previous=latest.hash if latest else ANCHOR_GENESIS,
        )
        anchor.hash = anchor_hash(anchor)
        anchor.save(using=using, force_insert=True)
        deleted, _ = AuditEvent.objects.using(using).filter(pk__lt=first_kept.pk).delete()
        # The removed events' lookup rows (which persons a list showed) go with them.
        PersonShown.objects.using(using).filter(event_id__lt=first_kept.pk).delete()
    return Cut(deleted, anchor)
