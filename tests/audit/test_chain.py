"""The hash chain shows any changed, removed or inserted audit event."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent
from tests.audit.conftest import append_only_lifted

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    """Three events, written and then sealed into the chain."""
    events = [
        record(None, Action.LOGIN_FAILED, username="mallory"),
        record(None, Action.VIEW, username="", person_id=7, detail={"owning_unit": 3}),
        record(None, Action.EXPORT, username="eve", reason="Månadsuppföljning"),
    ]
    assert chain.seal() == 3
    for event in events:
        event.refresh_from_db()
    return events


def test_each_event_links_to_the_one_before_it():
    first, second, third = _three_events()
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_an_untouched_log_verifies(capsys):
    _three_events()
    call_command("audit_verify")
    assert "Audit chain intact. checked=3" in capsys.readouterr().out


def test_the_stored_hash_is_what_the_verifier_recomputes_from_the_database():
    events = _three_events()
    for event in AuditEvent.objects.filter(pk__in=[e.pk for e in events]):
        assert event.hash == chain.compute_hash(event)


def test_a_changed_event_is_detected():
    _, second, _ = _three_events()
    with append_only_lifted():
        AuditEvent.objects.filter(pk=second.pk).update(username="someone else")
    result = chain.verify()
    assert [p.event_id for p in result.problems] == [second.pk]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit_verify")


def test_a_changed_detail_is_detected():
    _, second, _ = _three_events()
    with append_only_lifted():
        AuditEvent.objects.filter(pk=second.pk).update(detail={"owning_unit": 4})
    assert [p.event_id for p in chain.verify().problems] == [second.pk]


def test_a_removed_event_is_detected():
    _, second, third = _three_events()
    with append_only_lifted():
        AuditEvent.objects.filter(pk=second.pk).delete()
    result = chain.verify()
    assert [p.event_id for p in result.problems] == [third.pk]
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_removing_the_start_of_the_chain_is_detected():
    first, second, _ = _three_events()
    with append_only_lifted():
        AuditEvent.objects.filter(pk=first.pk).delete()
    assert [p.event_id for p in chain.verify().problems] == [second.pk]


def test_an_event_forged_at_the_end_without_the_key_is_detected():
    *_, last = _three_events()
    # An attacker links a row to the last one, but without the key cannot produce its HMAC.
    forged = AuditEvent(at=last.at, action=Action.VIEW, username="alibi", prev_hash=last.hash)
    with override_settings(AUDIT_CHAIN_KEY="a guess at the key"):
        forged.hash = chain.compute_hash(forged)
    forged.save(force_insert=True)
    assert [p.event_id for p in chain.verify().problems] == [forged.pk]


def test_an_event_appended_without_the_chain_is_detected():
    _three_events()
    bypass = AuditEvent.objects.create(action=Action.VIEW, username="bypass")
    assert chain.seal() == 0  # the sealer does not launder it
    assert [p.event_id for p in chain.verify().problems] == [bypass.pk]
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_an_inserted_event_between_two_others_breaks_the_link_after_it():
    first, second, third = _three_events()
    with append_only_lifted():
        # Make room: move the later rows up, then insert a correctly keyed row in the gap.
        AuditEvent.objects.filter(pk=third.pk).update(id=third.pk + 10)
        AuditEvent.objects.filter(pk=second.pk).update(id=second.pk + 10)
        inserted = AuditEvent(pk=second.pk, at=first.at, action=Action.VIEW, username="alibi")
        inserted.prev_hash = first.hash
        inserted.hash = chain.compute_hash(inserted)  # even with the key
        inserted.save(force_insert=True)
    assert [p.event_id for p in chain.verify().problems] == [second.pk + 10]


def test_rows_written_before_the_chain_existed_are_counted_not_failed():
    with append_only_lifted():
        AuditEvent.objects.create(action=Action.LOGIN, username="before")
    _three_events()
    result = chain.verify()
    assert result.ok
    assert (result.unchained, result.checked) == (1, 3)


def test_the_append_only_trigger_is_back_after_tampering():
    event = record(None, Action.LOGIN_FAILED, username="mallory")
    with append_only_lifted():
        pass
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="x")


@pytest.mark.postgres  # the advisory lock is PostgreSQL's
def test_an_append_on_postgresql_takes_the_advisory_lock_shared_and_reads_nothing(
    django_assert_num_queries,
):
    with django_assert_num_queries(1) as captured:
        record(None, Action.LOGIN_FAILED, username="mallory")
    # One statement, one round trip: the shared lock is taken before the row is made.
    sql = captured.captured_queries[0]["sql"]
    assert sql.index("pg_advisory_xact_lock_shared") < sql.index("INSERT INTO")
    assert "audit_auditevent" in sql and "SELECT max" not in sql


def test_an_append_is_one_insert_on_sqlite(django_assert_num_queries):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite serialises writers without a lock query")
    with django_assert_num_queries(1):
        record(None, Action.LOGIN_FAILED, username="mallory")


def test_a_new_event_is_pending_until_sealed_and_never_counted_as_verified(capsys):
    event = record(None, Action.LOGIN_FAILED, username="mallory")
    assert event.prev_hash == ""
    assert event.hash == chain.content_seal(event)
    result = chain.verify()
    assert (result.ok, result.checked, result.pending) == (True, 0, 1)
    call_command("audit_verify")
    assert "checked=0 pending=1" in capsys.readouterr().out
    call_command("audit_seal")
    assert "Sealed 1 audit event(s)." in capsys.readouterr().out
    result = chain.verify()
    assert (result.ok, result.checked, result.pending) == (True, 1, 0)


def test_events_written_after_a_seal_continue_the_chain():
    first, *_ = _three_events()
    later = record(None, Action.LOGOUT, username="mallory")
    assert chain.seal() == 1
    later.refresh_from_db()
    assert later.prev_hash == AuditEvent.objects.get(pk=later.pk - 1).hash
    assert first.prev_hash == chain.GENESIS
    assert chain.verify().checked == 4


def test_sealing_in_small_batches_gives_the_same_chain():
    events = [record(None, Action.VIEW, username=f"u{n}", person_id=n) for n in range(5)]
    assert chain.seal(batch_size=2) == 5
    result = chain.verify()
    assert (result.ok, result.checked) == (True, 5)
    assert result.head_id == events[-1].pk


def test_a_batch_linked_in_several_statements_gives_the_same_whole_chain(monkeypatch):
    monkeypatch.setattr(chain, "LINKS_PER_STATEMENT", 2)
    events = [record(None, Action.VIEW, username=f"u{n}", person_id=n) for n in range(5)]
    assert chain.seal() == 5
    for event in events:
        event.refresh_from_db()
    assert [event.prev_hash for event in events[1:]] == [event.hash for event in events[:-1]]
    result = chain.verify()
    assert (result.ok, result.checked, result.pending) == (True, 5, 0)


def test_a_seal_after_each_request_stops_after_its_batches_and_the_next_one_goes_on():
    for n in range(7):
        record(None, Action.VIEW, username=f"socsek{n}")
    assert chain.seal(batch_size=2, max_batches=1) == 2
    assert chain.verify().pending == 5
    assert chain.seal(batch_size=2, max_batches=2) == 4
    assert chain.verify().pending == 1
    assert chain.seal(batch_size=2) == 1
    result = chain.verify()
    assert (result.ok, result.checked, result.pending) == (True, 7, 0)


def test_a_pending_event_changed_before_sealing_is_not_sealed_and_is_reported():
    event = record(None, Action.VIEW, username="mallory", person_id=7)
    with append_only_lifted():
        AuditEvent.objects.filter(pk=event.pk).update(person_id=8)
    assert chain.seal() == 0
    assert [p.event_id for p in chain.verify().problems] == [event.pk]


def test_a_changed_pending_event_is_passed_over_and_the_events_after_it_are_sealed():
    before, changed, after = (record(None, Action.VIEW, username=f"u{n}") for n in range(3))
    with append_only_lifted():
        AuditEvent.objects.filter(pk=changed.pk).update(username="mallory")
    assert chain.seal() == 2
    after.refresh_from_db()
    assert after.prev_hash == AuditEvent.objects.get(pk=before.pk).hash
    assert [p.event_id for p in chain.verify().problems] == [changed.pk]


def test_the_sealer_never_seals_past_the_last_event_known_to_be_final(monkeypatch):
    first, second, third = (record(None, Action.VIEW, username=f"u{n}") for n in range(3))
    # A writer may still commit an event below any id read later: only up to the horizon.
    monkeypatch.setattr(chain, "_sealable_up_to", lambda alias: second.pk)
    assert chain.seal() == 2
    assert chain.verify().pending == 1
    monkeypatch.setattr(chain, "_sealable_up_to", lambda alias: third.pk)
    assert chain.seal() == 1
    assert chain.verify().pending == 0


def test_a_pending_event_slipped_in_before_sealed_ones_is_reported():
    first, second, third = _three_events()
    with append_only_lifted():
        AuditEvent.objects.filter(pk=third.pk).update(id=third.pk + 10)
        AuditEvent.objects.filter(pk=second.pk).update(id=second.pk + 10)
        slipped = AuditEvent(pk=second.pk, at=first.at, action=Action.VIEW, username="alibi")
        slipped.hash = chain.content_seal(slipped)  # even with the key
        slipped.save(force_insert=True)
    problems = chain.verify().problems
    assert slipped.pk in [p.event_id for p in problems]


def test_sealing_is_the_only_update_the_database_allows_and_only_once():
    event = record(None, Action.LOGIN_FAILED, username="mallory")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash="1" * 64, username="x")
    chain.seal()
    event.refresh_from_db()
    assert event.prev_hash == chain.GENESIS
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash="1" * 64, hash="2" * 64)
