"""Bulk loading for volume data (brygga.lib.bulk): COPY on PostgreSQL, bulk_create elsewhere.

Runs on SQLite as part of the suite; with DATABASE_URL on PostgreSQL it exercises COPY (the
path `seed_demo --persons 100000` takes). Either way the rows read back exactly as written,
with the primary keys given in list order, and a chain loaded this way verifies.
"""

from __future__ import annotations

import datetime

import pytest

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case, OutcomeEvent, OutcomeKind
from brygga.lib import bulk
from brygga.people.models import Person, ProtectedDetails
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_inserted_rows_get_ids_in_list_order_and_read_back_as_written():
    case = CaseFactory()
    days = [datetime.date(2025, 1, d) for d in (3, 1, 2)]
    events = bulk.insert(
        OutcomeEvent,
        [OutcomeEvent(case=case, kind=OutcomeKind.OWN_TENANCY, occurred_on=d) for d in days],
    )
    ids = [e.pk for e in events]
    assert all(ids) and ids == sorted(ids)
    stored = OutcomeEvent.objects.filter(pk__in=ids).order_by("pk")
    assert [(e.case_id, e.kind, e.occurred_on) for e in stored] == [
        (case.pk, OutcomeKind.OWN_TENANCY, d) for d in days
    ]


def test_encrypted_fields_are_encrypted_at_rest_and_decrypt_on_reading():
    person = CaseFactory().person
    ProtectedDetails.objects.filter(person=person).delete()
    (details,) = bulk.insert(
        ProtectedDetails,
        [ProtectedDetails(person=person, address="Fiktivgatan 1\n123 45 Stockholm", phone=None)],
    )
    stored = ProtectedDetails.objects.get(pk=details.pk)
    assert stored.address == "Fiktivgatan 1\n123 45 Stockholm"
    assert stored.phone is None
    raw = ProtectedDetails.objects.filter(pk=details.pk).values_list("address", flat=True)
    # values_list decrypts too; the column itself holds a Fernet token, never the text.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM people_protecteddetails WHERE id = %s", [details.pk])
        (at_rest,) = cursor.fetchone()
    assert raw.get() == "Fiktivgatan 1\n123 45 Stockholm"
    assert "Fiktivgatan" not in at_rest and at_rest.startswith("gAAAA")


def test_a_foreign_key_given_as_an_id_and_an_empty_list_both_work():
    person = bulk.insert(
        Person, [Person(first_name="Fiktiv", last_name="Persson", birth_year=1999)]
    )[0]
    unit = CaseFactory().owning_unit
    (case,) = bulk.insert(Case, [Case(person_id=person.pk, owning_unit=unit)])
    assert Case.objects.get(pk=case.pk).person.first_name == "Fiktiv"
    assert bulk.insert(Case, []) == []


def test_history_loaded_sealed_after_live_events_verifies_as_one_chain():
    record(None, Action.LOGIN, username="fiktiv.anvandare")
    at = datetime.datetime(2024, 5, 2, 9, 30, tzinfo=datetime.UTC)
    history = [
        AuditEvent(at=at, action=Action.VIEW, username="socsek", person_id=n, detail={"n": n})
        for n in range(5)
    ]
    chain.load_sealed(history)
    record(None, Action.LOGOUT, username="fiktiv.anvandare")
    chain.seal()
    result = chain.verify()
    assert result.ok, result.problems
    assert result.checked == 7 and result.pending == 0
    ids = [e.pk for e in history]
    assert ids == sorted(ids)
    assert AuditEvent.objects.get(pk=ids[2]).detail == {"n": 2}


def test_an_encrypted_column_is_refused_by_bulk_update_and_a_plain_one_is_set():
    from brygga.cases.models import ProtectedHousingStay

    case = CaseFactory()
    stay = ProtectedHousingStay.objects.create(
        case=case, provider="Fiktiva jouren", started_on=case.opened_on
    )
    with pytest.raises(TypeError, match="plain columns only"):
        bulk.update(ProtectedHousingStay, "provider", {stay.pk: "Fiktiva jouren i klartext"})
    assert ProtectedHousingStay.objects.get(pk=stay.pk).provider == "Fiktiva jouren"
    # A plain column goes through, on either database.
    bulk.update(Case, "closed_on", {case.pk: datetime.date(2026, 1, 31)})
    assert Case.objects.get(pk=case.pk).closed_on == datetime.date(2026, 1, 31)
