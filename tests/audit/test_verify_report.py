"""The verifier says which row is wrong and how, in words an administrator can act on.

`audit_verify` prints each problem as "#id: what is wrong"; the person investigating a
tampered log starts from that line, so each kind of tampering must name its own row and reason.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditAnchor, AuditEvent
from brygga.audit.retention import remove_old_rows
from tests.audit.conftest import append_only_lifted

pytestmark = pytest.mark.django_db


def sealed(*usernames: str) -> list[AuditEvent]:
    events = [record(None, Action.VIEW, username=name, person_id=7) for name in usernames]
    chain.seal()
    for event in events:
        event.refresh_from_db()
    return events


def report() -> list[str]:
    return [str(problem) for problem in chain.verify().problems]


def command_output() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match="Audit chain broken"):
        call_command("audit_verify", stdout=out, stderr=out)
    return out.getvalue()


def test_an_empty_log_verifies_with_nothing_checked():
    result = chain.verify()
    assert (result.ok, result.checked, result.pending, result.problems) == (True, 0, 0, [])


def test_a_changed_row_is_named_as_changed_content():
    _, second, _ = sealed("anna", "berit", "cecilia")
    with append_only_lifted():
        AuditEvent.objects.filter(pk=second.pk).update(username="mallory")
    assert report() == [f"#{second.pk}: radens innehåll stämmer inte"]
    assert f"#{second.pk}: radens innehåll stämmer inte" in command_output()


def test_a_removed_row_is_named_at_the_row_whose_link_broke():
    _, second, third = sealed("anna", "berit", "cecilia")
    with append_only_lifted():
        AuditEvent.objects.filter(pk=second.pk).delete()
    assert report() == [f"#{third.pk}: länken till föregående rad stämmer inte"]


def test_a_row_written_past_brygga_is_named_as_not_written_through_the_chain():
    sealed("anna")
    bypass = AuditEvent.objects.create(action=Action.VIEW, username="bypass")
    assert report() == [f"#{bypass.pk}: raden är inte skriven genom kedjan"]


def test_a_pending_row_slipped_in_before_sealed_ones_is_named_and_is_not_counted_as_pending():
    first, second, third = sealed("anna", "berit", "cecilia")
    with append_only_lifted():
        AuditEvent.objects.filter(pk=third.pk).update(id=third.pk + 10)
        AuditEvent.objects.filter(pk=second.pk).update(id=second.pk + 10)
        slipped = AuditEvent(pk=second.pk, at=first.at, action=Action.VIEW, username="alibi")
        slipped.hash = chain.content_seal(slipped)
        slipped.save(force_insert=True)
    result = chain.verify()
    assert f"#{slipped.pk}: en väntande rad ligger före förseglade rader" in report()
    assert result.pending == 0  # the slipped row is a problem, not a row waiting for the sealer


def test_two_slipped_rows_are_each_named_by_their_own_id():
    a, b, c, d, e = sealed("a", "b", "c", "d", "e")
    with append_only_lifted():
        # Make two gaps with sealed rows between them: a, [gap], b, c, [gap], d, e.
        for event in (e, d):
            AuditEvent.objects.filter(pk=event.pk).update(id=event.pk + 200)
        for event in (c, b):
            AuditEvent.objects.filter(pk=event.pk).update(id=event.pk + 100)
        slips = []
        for pk in (b.pk, c.pk + 150):
            slip = AuditEvent(pk=pk, at=a.at, action=Action.VIEW, username="alibi")
            slip.hash = chain.content_seal(slip)
            slip.save(force_insert=True)
            slips.append(slip)
    assert report() == [
        f"#{slip.pk}: en väntande rad ligger före förseglade rader" for slip in slips
    ]


def test_rows_before_the_chain_and_rows_still_pending_are_each_counted():
    with append_only_lifted():
        AuditEvent.objects.create(action=Action.LOGIN, username="före1")
        AuditEvent.objects.create(action=Action.LOGIN, username="före2")
    sealed("anna")
    record(None, Action.VIEW, username="väntar1")
    record(None, Action.VIEW, username="väntar2")
    result = chain.verify()
    assert result.ok
    assert (result.unchained, result.checked, result.pending) == (2, 1, 2)


@pytest.fixture
def cut_log() -> list[AuditEvent]:
    """Three old rows removed behind an anchor; three recent ones kept."""
    at_old = datetime.datetime(2028, 1, 1, tzinfo=datetime.UTC)
    at_new = datetime.datetime(2039, 6, 1, tzinfo=datetime.UTC)
    for n in range(3):
        chain.append(AuditEvent(at=at_old, action=Action.VIEW, username=f"gammal{n}"))
    kept = [
        chain.append(AuditEvent(at=at_new, action=Action.VIEW, username=f"ny{n}")) for n in range(3)
    ]
    chain.seal()
    remove_old_rows(datetime.date(2040, 6, 1), years=10)
    chain.seal()
    return kept


def test_rows_put_back_before_the_anchor_are_each_named_and_the_rest_still_checked(cut_log):
    first_kept = AuditAnchor.objects.get().first_kept_id
    with append_only_lifted():
        early = [
            AuditEvent.objects.create(pk=first_kept - 3 + n, action=Action.VIEW, username="x")
            for n in range(2)
        ]
    result = chain.verify()
    assert report() == [f"#{row.pk}: raden ligger före loggens ankare" for row in early]
    assert result.checked == 4  # the three kept rows and the removal's own event


def test_a_log_emptied_after_its_anchor_names_the_missing_first_row(cut_log):
    first_kept = AuditAnchor.objects.get().first_kept_id
    assert chain.verify().ok  # the positive marker: before the rows go, it verifies
    with append_only_lifted():
        AuditEvent.objects.all().delete()
    assert report() == [f"#{first_kept}: den första kvarvarande raden saknas"]


def test_a_changed_anchor_is_named_by_the_anchors_id(cut_log):
    anchor_row = AuditAnchor.objects.get()
    with append_only_lifted():
        AuditAnchor.objects.update(removed=1)
    assert f"#{anchor_row.pk}: ankarets innehåll stämmer inte med dess sigill" in report()
