"""`manage.py gallring`: the dry run lists per unit, the real run removes exactly what is due."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from brygga.audit import chain
from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case, Phase, ProtectedHousingStay
from brygga.journal.models import JournalNote
from brygga.people.models import Person, ProtectedDetails
from brygga.retention.models import HoldGround, LegalHold, Tombstone
from tests.factories import PersonFactory, case_with_team

# Everything the tests create is written "now"; judged in 2040 it is long past five years.
LATER = "2040-01-01"
SOON = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # noqa: DTZ011


def closed(case: Case) -> Case:
    case.phase = Phase.CLOSED
    case.closed_on = datetime.date(2026, 6, 30)
    case.save()
    return case


def with_records(case: Case, author) -> Case:
    ProtectedDetails.objects.create(person=case.person, address="Fiktiv gatan 1")
    ProtectedHousingStay.objects.create(
        case=case, provider="Skyddat boende (fiktivt)", started_on=datetime.date(2026, 1, 2)
    )
    signed = JournalNote.objects.create(
        case=case,
        author=author,
        title="Samtal",
        text="Fiktiv text",
        signed_at=datetime.datetime(2026, 1, 3, tzinfo=datetime.UTC),
    )
    JournalNote.objects.create(
        case=case, author=author, title="Rättelse", text="Rättad", corrects=signed
    )
    return case


def gallring(*args: str) -> str:
    out = io.StringIO()
    call_command("gallring", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_dry_run_lists_the_due_case_under_its_unit_and_changes_nothing(cast):
    with_records(closed(cast.case), cast.case_worker)
    events = AuditEvent.objects.count()

    listing = gallring("--dry-run", "--today", LATER)

    assert cast.sodermalm.name in listing
    assert f"ärende {cast.case.pk}: öppnat" in listing
    assert "Totalt: 1 ärenden gallras." in listing
    assert cast.case.person.last_name not in listing  # no names for the archive authority list
    assert Case.objects.filter(pk=cast.case.pk).exists()
    assert AuditEvent.objects.count() == events


def test_the_run_removes_the_case_its_records_history_and_person_and_leaves_a_tombstone(cast):
    case = with_records(closed(cast.case), cast.case_worker)
    person_id = case.person_id

    assert "Gallrade ärenden: 1." in gallring("--today", LATER)

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not JournalNote.objects.filter(case_id=case.pk).exists()
    assert not ProtectedHousingStay.objects.filter(case_id=case.pk).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    assert not ProtectedDetails.objects.filter(person_id=person_id).exists()
    assert not Case.history.filter(id=case.pk).exists()
    assert not Person.history.filter(id=person_id).exists()
    tombstone = Tombstone.objects.get()
    assert (tombstone.unit, tombstone.opened_year, tombstone.closed_year) == (
        cast.sodermalm,
        case.opened_on.year,
        2026,
    )
    assert tombstone.counts["journal.JournalNote"] == 2
    event = AuditEvent.objects.get(action=Action.RETENTION)
    assert (event.object_type, event.object_id, event.person_id) == (
        "cases.Case",
        str(case.pk),
        person_id,
    )
    assert chain.verify().ok


def test_running_again_removes_nothing_more_and_writes_no_more_events(cast):
    closed(cast.case)
    gallring("--today", LATER)
    events = AuditEvent.objects.count()
    assert "Gallrade ärenden: 0." in gallring("--today", LATER)
    assert AuditEvent.objects.count() == events
    assert Tombstone.objects.count() == 1


def test_a_case_is_kept_until_five_years_have_passed(cast):
    closed(cast.case)
    assert "Gallrade ärenden: 0." in gallring("--today", SOON)
    assert Case.objects.filter(pk=cast.case.pk).exists()
    assert "Gallrade ärenden: 1." in gallring("--today", LATER)


def test_an_open_case_is_kept(cast):
    assert cast.case.phase != Phase.CLOSED
    assert "Gallrade ärenden: 0." in gallring("--today", LATER)
    assert Case.objects.filter(pk=cast.case.pk).exists()


@pytest.mark.parametrize(("number", "kept"), [("199003254567", True), ("199003854567", True),
                                              ("199003244567", False)])  # fmt: skip
def test_people_born_on_a_research_day_are_kept(cast, number, kept):
    person = cast.case.person
    person.identity_number = number
    person.save()
    closed(cast.case)
    listing = gallring("--dry-run", "--today", LATER)
    gallring("--today", LATER)
    assert Case.objects.filter(pk=cast.case.pk).exists() is kept
    if kept:
        assert "bevaras: 1 (födda den 5, 15 eller 25" in listing


def test_a_legal_hold_keeps_the_case_until_it_is_lifted(cast):
    closed(cast.case)
    hold = LegalHold.objects.create(
        case=cast.case,
        ground=HoldGround.COURT,
        reason="Tvist om vårdnad prövas i tingsrätten (fiktivt)",
        decided_by=cast.unit_manager,
    )
    assert "bevaras: 1 (bevarandebeslut)" in gallring("--dry-run", "--today", LATER)
    assert "Gallrade ärenden: 0." in gallring("--today", LATER)
    assert Case.objects.filter(pk=cast.case.pk).exists()

    hold.lifted_on = datetime.date(2030, 1, 1)
    hold.lifted_by = cast.unit_manager
    hold.save()
    assert "Gallrade ärenden: 1." in gallring("--today", LATER)
    assert not LegalHold.objects.exists()


def test_the_person_stays_while_another_case_of_theirs_remains(cast):
    other = case_with_team(cast.rinkeby, cast.other_district_worker, person=cast.case.person)
    closed(cast.case)
    gallring("--today", LATER)
    assert not Case.objects.filter(pk=cast.case.pk).exists()
    assert Case.objects.filter(pk=other.pk).exists()
    assert Person.objects.filter(pk=cast.case.person_id).exists()


def test_only_the_due_case_goes_when_others_are_recent(cast):
    recent = case_with_team(cast.sodermalm, cast.case_worker, person=PersonFactory())
    closed(recent)
    closed(cast.case)
    Case.objects.filter(pk=cast.case.pk).update(
        opened_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2020, 1, 1),
        created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    gallring("--today", "2026-11-29")
    assert not Case.objects.filter(pk=cast.case.pk).exists()
    assert Case.objects.filter(pk=recent.pk).exists()


def test_a_legal_hold_is_recorded_with_reason_and_who_decided_and_can_be_lifted(cast):
    closed(cast.case)
    out = io.StringIO()
    call_command(
        "legal_hold", "--case", str(cast.case.pk), "--ground", "other_law",
        "--reason", "Arkivmyndigheten utreder bevarande (fiktivt)",
        "--decided-by", cast.unit_manager.username, stdout=out,
    )  # fmt: skip
    hold = LegalHold.objects.get(case=cast.case)
    assert (hold.decided_by, hold.ground) == (cast.unit_manager, HoldGround.OTHER_LAW)
    assert AuditEvent.objects.filter(object_type="retention.LegalHold").count() == 1
    assert "Gallrade ärenden: 0." in gallring("--today", LATER)

    call_command("legal_hold", "--case", str(cast.case.pk), "--lift",
                 "--reason", "Utredningen är avslutad (fiktivt)",
                 "--decided-by", cast.unit_manager.username, stdout=out)  # fmt: skip
    assert LegalHold.objects.get().lift_reason == "Utredningen är avslutad (fiktivt)"
    assert "Gallrade ärenden: 1." in gallring("--today", LATER)


def test_a_legal_hold_needs_a_reason(cast):
    with pytest.raises(CommandError, match="needs --ground and --reason"):
        call_command("legal_hold", "--case", str(cast.case.pk), "--ground", "court",
                     "--decided-by", cast.unit_manager.username)  # fmt: skip
    assert not LegalHold.objects.exists()
