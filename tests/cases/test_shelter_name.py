"""The shelter's name (issue 14): which protected housing a named person is in.

It is stored encrypted (the stay's provider and a plan intervention's provider, history
included), and read-only roles on the case see it masked wherever it appears.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from brygga.access.models import EmergencyAccess
from brygga.cases.models import ProtectedHousingStay
from brygga.organisation.models import Role
from brygga.people.models import MASK
from brygga.support.models import ActorKind, Intervention, InterventionType
from tests.conftest import signed_in
from tests.factories import staff_member

SHELTER = "Fiktiva skyddade boendet Lönnen"


def raw(table: str, column: str, pk_column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def shelter(cast):
    """The person stays at the shelter; the plan names it as the provider of her emergency flat,
    carried out by the case's housing support worker."""
    stay = ProtectedHousingStay.objects.create(
        case=cast.case, provider=SHELTER, started_on=cast.case.opened_on
    )
    flat = Intervention.objects.create(
        case=cast.case,
        type=InterventionType.objects.get(name="Jourlägenhet"),
        area="housing",
        provider=SHELTER,
        status="active",
        actor_kind=ActorKind.STAFF,
        actor_user=cast.housing_support,
    )
    return stay, flat


def test_the_database_holds_the_shelter_name_only_encrypted(shelter):
    stay, flat = shelter
    stored = [
        raw("cases_protectedhousingstay", "provider", "id", stay.pk),
        raw("support_intervention", "provider", "id", flat.pk),
        raw(
            "support_historicalintervention",
            "provider",
            "history_id",
            flat.history.get().history_id,
        ),
    ]
    for value in stored:
        assert value  # something is stored ...
        assert SHELTER not in value  # ... but not the name
    # The application still reads the name.
    assert ProtectedHousingStay.objects.get(pk=stay.pk).provider == SHELTER
    assert Intervention.objects.get(pk=flat.pk).provider == SHELTER
    assert SHELTER not in str(stay)


@pytest.mark.django_db
def test_the_migration_encrypts_rows_written_in_clear_before_it(shelter):
    stay, flat = shelter
    write_raw("cases_protectedhousingstay", "provider", stay.pk, SHELTER)
    write_raw("support_intervention", "provider", flat.pk, SHELTER)
    assert raw("cases_protectedhousingstay", "provider", "id", stay.pk) == SHELTER

    importlib.import_module("brygga.cases.migrations.0005_encrypt_provider").encrypt(apps, None)
    importlib.import_module("brygga.support.migrations.0011_encrypt_provider").encrypt(apps, None)

    assert SHELTER not in raw("cases_protectedhousingstay", "provider", "id", stay.pk)
    assert SHELTER not in raw("support_intervention", "provider", "id", flat.pk)
    assert ProtectedHousingStay.objects.get(pk=stay.pk).provider == SHELTER
    assert Intervention.objects.get(pk=flat.pk).provider == SHELTER


def test_housing_support_sees_her_part_of_the_plan_but_not_the_shelter(cast, shelter):
    page = signed_in(cast.housing_support).get(reverse("case_detail", args=[cast.case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Jourlägenhet" in body  # her intervention is on the page ...
    assert SHELTER not in body  # ... without where it is


def test_the_case_worker_reads_the_shelter_on_the_case_page(cast, shelter):
    body = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert SHELTER in body.content.decode()


def test_an_emergency_reader_sees_the_plan_with_the_provider_masked(cast, shelter):
    reader = staff_member(Role.WORKER, cast.rinkeby, username="emergency_reader")
    EmergencyAccess.objects.create(user=reader, case=cast.case, reason="Akut hot, behöver planen")
    body = signed_in(reader).get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert "Jourlägenhet" in body
    assert MASK in body
    assert SHELTER not in body
