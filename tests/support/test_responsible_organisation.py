"""The shelter's name as a plan item's responsible organisation (issue 14).

`actor_organisation` of an intervention or a task is free text and may name the shelter the
person stays in, so it is stored encrypted (history included) and read-only roles on the case
see it masked, like the provider.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from brygga.access.models import EmergencyAccess
from brygga.organisation.models import Role
from brygga.people.models import MASK
from brygga.support.models import ActorKind, Intervention, InterventionType, Task
from tests.conftest import signed_in
from tests.factories import staff_member

SHELTER = "Fiktiva kvinnojouren Rönnen"

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk_column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def shelter_owned(cast):
    """The shelter is responsible for her support talks and asked to write a safety plan; the
    case's housing support worker carries out her emergency flat."""
    talks = Intervention.objects.create(
        case=cast.case,
        type=InterventionType.objects.get(name="Stödsamtal"),
        area="health",
        status="active",
        actor_kind=ActorKind.ORGANISATION,
        actor_organisation=SHELTER,
    )
    Intervention.objects.create(
        case=cast.case,
        type=InterventionType.objects.get(name="Jourlägenhet"),
        area="housing",
        status="active",
        actor_kind=ActorKind.STAFF,
        actor_user=cast.housing_support,
    )
    task = Task.objects.create(
        case=cast.case,
        area="safety",
        title="Säkerhetsplan",
        actor_kind=ActorKind.ORGANISATION,
        actor_organisation=SHELTER,
    )
    return talks, task


def test_the_database_holds_the_responsible_organisation_only_encrypted(shelter_owned):
    talks, task = shelter_owned
    stored = [
        raw("support_intervention", "actor_organisation", "id", talks.pk),
        raw(
            "support_historicalintervention",
            "actor_organisation",
            "history_id",
            talks.history.get().history_id,
        ),
        raw("support_task", "actor_organisation", "id", task.pk),
        raw(
            "support_historicaltask",
            "actor_organisation",
            "history_id",
            task.history.get().history_id,
        ),
    ]
    for value in stored:
        assert value  # something is stored ...
        assert SHELTER not in value  # ... but not the name
    # The application still reads the name, and an empty one stays empty.
    assert Intervention.objects.get(pk=talks.pk).actor_organisation == SHELTER
    assert Task.objects.get(pk=task.pk).actor_display == SHELTER
    nobody = Task.objects.create(case=talks.case, area="safety", title="Ingen ansvarig än")
    assert raw("support_task", "actor_organisation", "id", nobody.pk) is None
    assert Task.objects.get(pk=nobody.pk).actor_display == ""


def test_the_migration_encrypts_rows_written_in_clear_before_it(shelter_owned):
    talks, task = shelter_owned
    write_raw("support_intervention", "actor_organisation", talks.pk, SHELTER)
    write_raw("support_task", "actor_organisation", task.pk, SHELTER)
    assert raw("support_task", "actor_organisation", "id", task.pk) == SHELTER

    migration = importlib.import_module("brygga.support.migrations.0013_encrypt_actor_organisation")
    migration.encrypt(apps, None)

    assert SHELTER not in raw("support_intervention", "actor_organisation", "id", talks.pk)
    assert SHELTER not in raw("support_task", "actor_organisation", "id", task.pk)
    assert Intervention.objects.get(pk=talks.pk).actor_organisation == SHELTER
    assert Task.objects.get(pk=task.pk).actor_organisation == SHELTER


def test_housing_support_sees_her_part_of_the_plan_but_not_the_shelter(cast, shelter_owned):
    page = signed_in(cast.housing_support).get(reverse("case_detail", args=[cast.case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Jourlägenhet" in body  # her part of the plan is on the page ...
    assert SHELTER not in body  # ... never the shelter


def test_the_case_worker_reads_who_is_responsible(cast, shelter_owned):
    body = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    text = body.content.decode()
    assert text.count(SHELTER) >= 2  # the intervention's and the task's


def test_an_emergency_reader_sees_the_plan_and_the_task_with_the_organisation_masked(
    cast, shelter_owned
):
    reader = staff_member(Role.WORKER, cast.rinkeby, username="emergency_reader")
    EmergencyAccess.objects.create(user=reader, case=cast.case, reason="Akut hot, behöver planen")
    body = signed_in(reader).get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert "Stödsamtal" in body and "Säkerhetsplan" in body
    assert f"väntar på {MASK}" in body  # the task waits on someone, masked
    assert SHELTER not in body
