"""Loading demo history already sealed: it joins the live chain and verifies as one."""

from __future__ import annotations

import datetime

import pytest

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent
from tests.audit.conftest import append_only_lifted

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2024, 5, 2, 9, 30, tzinfo=datetime.UTC)


def _history(n: int, **fields) -> list[AuditEvent]:
    return [
        AuditEvent(at=AT, action=Action.VIEW, username="socsek", person_id=i, **fields)
        for i in range(n)
    ]


def test_loaded_history_links_to_the_head_of_the_chain_in_list_order():
    live = record(None, Action.LOGIN, username="fiktiv.anvandare")
    chain.seal()
    live.refresh_from_db()
    history = _history(3)

    assert chain.load_sealed(history) == 3

    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in history]).order_by("pk"))
    assert [e.person_id for e in stored] == [0, 1, 2]
    assert stored[0].prev_hash == live.hash
    assert stored[1].prev_hash == stored[0].hash and stored[2].prev_hash == stored[1].hash
    assert all(e.hash == chain.compute_hash(e) for e in stored)
    result = chain.verify()
    assert (result.ok, result.checked, result.head_id) == (True, 4, stored[-1].pk)


def test_history_loaded_into_an_empty_log_starts_the_chain():
    history = _history(2)
    chain.load_sealed(history)
    first = AuditEvent.objects.order_by("pk").first()
    assert first is not None and first.prev_hash == chain.GENESIS
    assert chain.verify().checked == 2


def test_events_still_pending_are_sealed_first_and_history_follows_them():
    pending = record(None, Action.VIEW, username="fiktiv.anvandare", person_id=9)
    history = _history(2)
    chain.load_sealed(history)
    pending.refresh_from_db()
    loaded = AuditEvent.objects.get(pk=history[0].pk)
    assert pending.prev_hash == chain.GENESIS
    assert loaded.prev_hash == pending.hash
    result = chain.verify()
    assert (result.ok, result.checked, result.pending) == (True, 3, 0)


def test_history_is_refused_while_a_pending_row_cannot_be_sealed():
    tampered = record(None, Action.VIEW, username="mallory", person_id=7)
    with append_only_lifted():
        AuditEvent.objects.filter(pk=tampered.pk).update(person_id=8)
    with pytest.raises(RuntimeError, match="still pending"):
        chain.load_sealed(_history(2))
    assert AuditEvent.objects.count() == 1  # nothing of the history was written


def test_history_is_refused_while_a_row_without_any_hash_follows_the_chain():
    with append_only_lifted():
        AuditEvent.objects.create(action=Action.VIEW, username="past-brygga")
    with pytest.raises(RuntimeError, match="still pending"):
        chain.load_sealed(_history(2))
    assert AuditEvent.objects.count() == 1


def test_a_changed_row_the_chain_has_passed_over_does_not_hold_history_back():
    changed = record(None, Action.VIEW, username="mallory", person_id=7)
    with append_only_lifted():
        AuditEvent.objects.filter(pk=changed.pk).update(person_id=8)
    record(None, Action.VIEW, username="socsek", person_id=9)  # sealed past the changed row
    assert chain.load_sealed(_history(2)) == 2
    result = chain.verify()
    assert [p.event_id for p in result.problems] == [changed.pk]  # still named by the verifier
    assert (result.checked, result.pending) == (3, 0)


def test_an_ipv6_address_in_history_is_stored_in_its_short_form_and_verifies():
    (event,) = _history(1, ip_address="2001:0db8:0000:0000:0000:0000:0000:0001")
    chain.load_sealed([event])
    assert AuditEvent.objects.get(pk=event.pk).ip_address == "2001:db8::1"
    assert chain.verify().ok
