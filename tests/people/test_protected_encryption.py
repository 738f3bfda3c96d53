"""Encryption at rest: key rotation by command, and a real dump holds nothing in clear text."""

import os
import subprocess

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from brygga.cases.models import ProtectedHousingStay
from brygga.people.encryption import encrypted_fields, reset_field_keys
from brygga.people.identity import blind_index
from brygga.people.models import Person, ProtectedDetails
from tests.factories import PersonFactory, Role, UnitFactory, case_with_team, staff_member

PNR = "19900312-4518".replace("-", "")
ADDRESS = "Lönnvägen 12, 702 14 Örebro"
CODE_WORD = "Kattfot"
JOURNAL_TEXT = "Samtal om hot från brodern, ny adress"
SHELTER = "Fiktiva skyddade boendet Hägget"


@pytest.fixture
def keys(settings):
    """Set FIELD_ENCRYPTION_KEYS for a test; caches are dropped before and after."""

    def use(*salt_keys):
        settings.SALT_KEY = list(salt_keys)
        reset_field_keys()

    yield use
    settings.SALT_KEY = django_settings.SALT_KEY
    reset_field_keys()


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def protected_person():
    person = PersonFactory(identity_number=PNR, identity_index=blind_index(PNR))
    ProtectedDetails.objects.create(person=person, address=ADDRESS, code_word=CODE_WORD)
    return person


def test_every_encrypted_field_is_found_including_history_and_journal():
    found = {(m._meta.label, f.name) for m, fields in encrypted_fields() for f in fields}
    assert ("people.Person", "identity_number") in found
    assert ("people.ProtectedDetails", "address") in found
    assert ("people.HistoricalProtectedDetails", "code_word") in found
    if apps.is_installed("brygga.journal"):
        assert ("journal.JournalNote", "text") in found


@pytest.mark.django_db
def test_rotation_re_encrypts_so_the_old_key_can_be_dropped(keys):
    keys("old-key")
    person = protected_person()
    details = person.protected_details
    before = raw("people_person", "identity_number", person.pk)
    assert PNR not in before

    keys("new-key", "old-key")
    call_command("rotate_field_keys", "--batch-size", "1", stdout=open(os.devnull, "w"))  # noqa: SIM115

    keys("new-key")
    person = Person.objects.get(pk=person.pk)
    assert person.identity_number == PNR
    assert ProtectedDetails.objects.get(pk=details.pk).address == ADDRESS
    assert raw("people_person", "identity_number", person.pk) != before
    assert Person.objects.filter(identity_index=blind_index(PNR)).exists()


@pytest.mark.django_db
def test_without_rotation_dropping_the_old_key_loses_the_value(keys):
    """The control for the test above: it would fail if the library ignored the key."""
    keys("old-key")
    person = protected_person()
    keys("new-key")
    assert Person.objects.get(pk=person.pk).identity_number != PNR


@pytest.mark.django_db
def test_rotation_stops_without_changing_anything_when_no_key_decrypts(keys):
    keys("old-key")
    person = protected_person()
    before = raw("people_person", "identity_number", person.pk)
    keys("unrelated-key")
    with pytest.raises(CommandError, match="No configured key decrypts"):
        call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert raw("people_person", "identity_number", person.pk) == before


def dump_database() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "-d", db["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


NOT_AUDIT = [a.name for a in apps.get_app_configs() if a.name != "brygga.audit"]


# Committed rows (transaction=True) so pg_dump, a separate process, sees them. The audit table
# is append-only, so the flush after the test must leave it out (available_apps).
@pytest.mark.django_db(transaction=True, available_apps=NOT_AUDIT)
def test_a_real_dump_of_the_database_holds_no_protected_value_in_clear_text():
    person = protected_person()
    unit = UnitFactory()
    worker = staff_member(Role.WORKER, unit)
    case = case_with_team(unit, worker, person=person)
    secrets = [PNR, ADDRESS, CODE_WORD, SHELTER]
    ProtectedHousingStay.objects.create(case=case, provider=SHELTER, started_on=case.opened_on)
    if apps.is_installed("brygga.support"):
        intervention_type = apps.get_model("support", "InterventionType")
        apps.get_model("support", "Intervention").objects.create(
            case=case,
            # Created if an earlier transactional test flushed the catalogue's seed rows.
            type=intervention_type.objects.get_or_create(
                name="Jourlägenhet", defaults={"area": "housing"}
            )[0],
            area="housing",
            provider=SHELTER,
        )
        apps.get_model("support", "Task").objects.create(
            case=case,
            area="safety",
            title="Säkerhetsplan",
            actor_kind="organisation",
            actor_organisation=SHELTER,
        )
    if apps.is_installed("brygga.journal"):
        note_model = apps.get_model("journal", "JournalNote")
        note_model.objects.create(case=case, author=worker, text=JOURNAL_TEXT)
        secrets.append(JOURNAL_TEXT)

    dump = dump_database()

    assert person.last_name in dump  # the dump is real and holds this test's rows
    for secret in secrets:
        assert secret not in dump
