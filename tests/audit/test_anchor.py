"""The oldest audit rows are removed behind a sealed anchor, and the rest still verifies."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from brygga.audit import anchor, chain
from brygga.audit.models import Action, AuditAnchor, AuditEvent
from brygga.audit.retention import remove_old_rows
from tests.audit.conftest import append_only_lifted

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2040, 6, 1)


def written(years_ago: float, username: str) -> AuditEvent:
    at = datetime.datetime(2040, 6, 1, tzinfo=datetime.UTC) - datetime.timedelta(
        days=365.25 * years_ago
    )
    return chain.append(AuditEvent(at=at, action=Action.VIEW, username=username, person_id=7))


@pytest.fixture
def log() -> dict[str, list[AuditEvent]]:
    """Four rows from twelve years ago, then three recent ones, all sealed."""
    old = [written(12, f"gammal{n}") for n in range(4)]
    recent = [written(1, f"ny{n}") for n in range(3)]
    chain.seal()
    return {"old": old, "recent": recent}


def verify_command() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=out)
    return out.getvalue()


def test_rows_older_than_the_period_go_and_the_rest_still_verifies(log):
    result = remove_old_rows(TODAY, years=10)

    assert result.removed == 4
    kept = set(AuditEvent.objects.values_list("username", flat=True))
    assert {"ny0", "ny1", "ny2"} <= kept
    assert not kept & {"gammal0", "gammal1", "gammal2", "gammal3"}
    assert "Audit chain intact." in verify_command()
    anchor_row = AuditAnchor.objects.get()
    assert anchor_row.first_kept_id == log["recent"][0].pk
    assert anchor_row.removed == 4
    # The removal itself is in the log, and verifies once sealed.
    chain.seal()
    assert AuditEvent.objects.filter(action=Action.RETENTION, username="gallring").exists()
    assert chain.verify().ok


def test_a_second_removal_links_its_anchor_to_the_first(log):
    remove_old_rows(TODAY, years=10)
    chain.seal()
    remove_old_rows(TODAY + datetime.timedelta(days=400), years=1)

    first, second = AuditAnchor.objects.order_by("pk")
    assert second.previous == first.hash
    assert second.first_kept_id > first.first_kept_id
    assert chain.verify().ok


def test_nothing_goes_when_every_row_is_younger_than_the_period(log):
    assert remove_old_rows(TODAY, years=20).removed == 0
    assert AuditEvent.objects.count() == 7
    assert AuditAnchor.objects.count() == 0
    assert remove_old_rows(TODAY, years=10).removed == 4  # the positive marker


def test_the_latest_sealed_row_is_always_kept_so_sealing_can_go_on(log):
    remove_old_rows(TODAY + datetime.timedelta(days=3650), years=1)

    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["ny2", "gallring"]
    chain.seal()
    assert chain.verify().ok
    assert chain.verify().checked == 2


def test_a_changed_row_after_the_removal_breaks_the_chain(log):
    remove_old_rows(TODAY, years=10)
    with append_only_lifted():
        AuditEvent.objects.filter(username="ny1").update(username="mallory")

    result = chain.verify()

    assert not result.ok
    assert [p.event_id for p in result.problems] == [log["recent"][1].pk]
    with pytest.raises(CommandError):
        verify_command()


@pytest.mark.parametrize(
    "tamper",
    [
        {"prev_hash": "f" * 64},  # point the start somewhere else
        {"first_kept_id": 10**9},  # claim more was removed
        {"removed": 1},
    ],
)
def test_a_changed_anchor_breaks_the_chain(log, tamper):
    remove_old_rows(TODAY, years=10)
    assert chain.verify().ok  # the positive marker: untouched, it verifies
    with append_only_lifted():
        AuditAnchor.objects.update(**tamper)

    assert not chain.verify().ok


def test_a_removed_anchor_breaks_the_chain(log):
    remove_old_rows(TODAY, years=10)
    with append_only_lifted():
        AuditAnchor.objects.all().delete()

    result = chain.verify()

    assert not result.ok
    assert result.problems[0].event_id == log["recent"][0].pk  # it no longer links to GENESIS


def test_a_row_removed_from_the_middle_after_a_cut_still_shows(log):
    remove_old_rows(TODAY, years=10)
    with append_only_lifted():
        AuditEvent.objects.filter(username="ny1").delete()

    assert not chain.verify().ok


def test_the_database_refuses_to_remove_kept_rows_or_anchors(log):
    remove_old_rows(TODAY, years=10)
    kept = AuditEvent.objects.order_by("pk").first()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=kept.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditAnchor.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditAnchor.objects.update(removed=0)
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert AuditAnchor.objects.count() == 1


def test_without_an_anchor_no_row_can_be_removed(log):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=log["old"][0].pk).delete()
    assert AuditEvent.objects.filter(pk=log["old"][0].pk).exists()


def test_a_broken_chain_is_not_cut(log):
    with append_only_lifted():
        AuditEvent.objects.filter(username="gammal1").update(username="mallory")

    with pytest.raises(anchor.NotVerified):
        remove_old_rows(TODAY, years=10)
    assert AuditEvent.objects.filter(username="mallory").exists()  # the evidence is kept
    assert AuditAnchor.objects.count() == 0


def test_the_dry_run_counts_and_changes_nothing(log):
    out = io.StringIO()
    call_command("audit_retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)

    assert f"Would remove 4 audit row(s); the log would start at #{log['recent'][0].pk}." in (
        out.getvalue()
    )
    assert AuditEvent.objects.count() == 7


def test_the_command_removes_and_refuses_a_broken_chain(log):
    out = io.StringIO()
    call_command("audit_retention", "--today", TODAY.isoformat(), "--years", "10", stdout=out)
    assert "Removed 4 audit row(s)." in out.getvalue()
    with append_only_lifted():
        AuditEvent.objects.filter(username="ny0").update(username="mallory")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit_retention", "--today", "2040-07-01", "--years", "1")
    assert AuditEvent.objects.filter(username="mallory").exists()  # the evidence is kept


def test_the_persons_shown_by_removed_rows_go_with_them(log):
    from brygga.audit.log import record
    from brygga.audit.models import PersonShown

    PersonShown.objects.create(event_id=log["old"][0].pk, person_id=7)
    recent_list = record(None, Action.VIEW, username="ny_lista", persons_shown=[7, 8])
    chain.seal()

    remove_old_rows(TODAY, years=10)

    kept = set(PersonShown.objects.values_list("event_id", flat=True))
    assert kept == {recent_list.pk}  # the recent list's persons stay ...
    assert log["old"][0].pk not in kept  # ... the removed row's go
