"""Two audit-log cuts at once on PostgreSQL leave one anchor and a chain that verifies."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections

from brygga.audit import anchor, chain
from brygga.audit.models import Action, AuditAnchor, AuditEvent
from tests.postgres import real_commits  # noqa: F401 - a fixture

pytestmark = pytest.mark.postgres

NOW = datetime.datetime(2040, 6, 1, tzinfo=datetime.UTC)


def test_two_cuts_at_once_leave_one_anchor_and_a_verifying_chain(real_commits):  # noqa: F811
    for years_ago, count in ((12, 40), (1, 5)):
        for n in range(count):
            at = NOW - datetime.timedelta(days=365 * years_ago, minutes=n)
            chain.append(AuditEvent(at=at, action=Action.VIEW, username=f"u{years_ago}-{n}"))
    chain.seal()
    before = NOW - datetime.timedelta(days=3650)
    start_line = threading.Barrier(2)
    results: list[anchor.Cut] = []
    errors: list[BaseException] = []

    def cut() -> None:
        try:
            start_line.wait()
            results.append(anchor.cut(before))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cut) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(result.removed for result in results) == [0, 40]
    assert AuditAnchor.objects.count() == 1
    assert AuditEvent.objects.count() == 5
    assert chain.verify().ok
