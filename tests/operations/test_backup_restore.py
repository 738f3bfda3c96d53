"""Backup and restore as docs/operations.md describes it: pg_dump's custom format, pg_restore
into a new database, and the keys kept apart. Needs PostgreSQL (and its client programs)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.journal.models import JournalNote
from brygga.people.encryption import reset_field_keys
from brygga.people.identity import blind_index
from brygga.people.models import Person, ProtectedDetails

pytestmark = pytest.mark.postgres

PNR = "199003124518"
ADDRESS = "Lönnvägen 12, 702 14 Örebro (fiktiv)"
NOTE = "Samtal om hot från brodern (fiktivt)"


def _client_args(params: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    return args, {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=300)


@pytest.fixture
def restored_database(real_commits: None) -> Iterator[str]:
    """The name of a new, empty database; dropped afterwards."""
    params = connection.settings_dict
    name = params["NAME"].removeprefix("test_") + "_restored"
    args, env = _client_args(params)
    _run(["dropdb", *args, "--if-exists", name], env)
    _run(["createdb", *args, name], env)
    yield name
    _run(["dropdb", *args, "--if-exists", name], env)


@contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Point the default connection at another database for a while (no transaction is open:
    the test commits for real)."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_a_dump_restores_into_a_new_database_whole_readable_with_the_keys_only(
    restored_database, cast, tmp_path: Path, settings
):
    person = cast.case.person
    person.identity_number = PNR
    person.identity_index = blind_index(PNR)
    person.save()
    ProtectedDetails.objects.create(person=person, address=ADDRESS)
    JournalNote.objects.create(case=cast.case, author=cast.case_worker, title="Samtal", text=NOTE)
    for _ in range(3):
        record(None, Action.VIEW, user=cast.case_worker, person_id=person.pk)
    chain.seal()  # what `audit_seal --loop` does in production (decision 0080)
    before = _counts()

    # Back up: the custom format (compressed, restorable table by table).
    dump = tmp_path / "brygga.dump"
    args, env = _client_args(connection.settings_dict)
    _run(["pg_dump", *args, "--format=custom", "--no-owner", "-f", str(dump),
          connection.settings_dict["NAME"]], env)  # fmt: skip
    # Restore into a new, empty database.
    _run(["pg_restore", *args, "--no-owner", "--exit-on-error", "-d",
          restored_database, str(dump)], env)  # fmt: skip

    assert before["audit.AuditEvent"] >= 3
    keys = list(settings.SALT_KEY)
    with connected_to(restored_database):
        assert _counts() == before
        verification = chain.verify()
        assert verification.ok and verification.checked == before["audit.AuditEvent"]

        # With the keys, the protected values read back; the blind index finds the person.
        restored = Person.objects.get(pk=person.pk)
        assert restored.identity_number == PNR
        assert Person.objects.filter(identity_index=blind_index(PNR)).exists()
        assert ProtectedDetails.objects.get(person=person).address == ADDRESS
        assert JournalNote.objects.get(case=cast.case).text == NOTE

        # Without them (another installation's key) the dump is ciphertext and nothing more.
        settings.SALT_KEY = ["a-different-installation-key-0123456789"]
        reset_field_keys()
        try:
            stolen = Person.objects.get(pk=person.pk)
            address = ProtectedDetails.objects.get(person=person).address
            text = JournalNote.objects.get(case=cast.case).text
        finally:
            settings.SALT_KEY = keys
            reset_field_keys()
    assert stolen.last_name == person.last_name  # the row itself is there
    for value, secret in ((stolen.identity_number, PNR), (address, ADDRESS), (text, NOTE)):
        assert value != secret
        assert value.startswith("gAAAA")  # a Fernet token, unreadable without the key
