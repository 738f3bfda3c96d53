"""Faults: the database unreachable, read-only or full gives a clear answer, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from brygga.journal.models import JournalNote
from brygga.lib.database import Trouble, describe, startup_message, trouble
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parents[2]


def test_health_answers_503_while_the_database_is_unreachable_and_200_when_it_is_back(db):
    client = Client()
    refused = OperationalError("connection to server at 127.0.0.1 port 5432 failed: refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        down = client.get("/health/")
    assert down.status_code == 503
    assert down.json() == {"status": "database unavailable"}
    back = client.get("/health/")
    assert back.status_code == 200
    assert back.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("attempt to write a readonly database", Trouble.READ_ONLY),
        ("database or disk is full", Trouble.FULL),
        ("could not extend file: No space left on device", Trouble.FULL),
        ("terminating connection due to administrator command", Trouble.UNREACHABLE),
    ],
)
def test_database_faults_are_told_apart(message, kind):
    assert trouble(OperationalError(message)) is kind


def test_an_ordinary_error_is_no_database_fault():
    assert trouble(ValueError("x")) is None


def test_the_start_up_message_names_the_database_but_never_its_password():
    settings_dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "brygga",
        "HOST": "db.example",
        "PORT": 5432,
        "PASSWORD": "hemligt-losenord",
    }
    message = startup_message(OperationalError("connection refused"), settings_dict)
    assert "postgresql brygga at db.example:5432" in message
    assert "Check that the database server is running" in message
    assert "hemligt-losenord" not in message
    assert describe(settings_dict) == "postgresql brygga at db.example:5432"


def test_manage_py_with_the_database_down_prints_a_clear_message_not_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://brygga@127.0.0.1:1/brygga"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Brygga cannot use the database (postgresql brygga at 127.0.0.1:1)" in result.stderr
    assert "Traceback" not in result.stderr


def _post_a_draft(cast, client: Client | None = None) -> object:
    client = client or signed_in(cast.case_worker, Client(raise_request_exception=False))
    url = reverse("journal_autosave", args=[cast.case.pk])
    return client.post(url, {"title": "Samtal", "text": "Hon berättade om helgen."})


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("attempt to write a readonly database", "Databasen går bara att läsa"),
        ("database or disk is full", "Disken där databasen ligger är full"),
        ("server closed the connection unexpectedly", "Brygga når inte sin databas"),
    ],
)
def test_a_database_fault_while_saving_gives_a_clear_swedish_page_with_a_reference(
    cast, fault, says
):
    with mock.patch(
        "brygga.journal.services.JournalNote.objects.create", side_effect=OperationalError(fault)
    ):
        response = _post_a_draft(cast)
    page = response.content.decode()
    assert response.status_code == 503
    assert "Tjänsten är inte tillgänglig just nu" in page
    assert says in page
    assert response["X-Request-Id"] in page  # the reference number
    assert not JournalNote.objects.exists()


def test_an_unexpected_error_gives_the_swedish_error_page_with_a_reference(cast):
    with mock.patch(
        "brygga.journal.services.JournalNote.objects.create", side_effect=RuntimeError("bug")
    ):
        response = _post_a_draft(cast)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel" in page
    assert "Referensnummer" in page and response["X-Request-Id"] in page
    assert "RuntimeError" not in page and "Traceback" not in page


@pytest.mark.skipif(
    "sqlite" not in connection.settings_dict["ENGINE"], reason="SQLite demo mode only"
)
def test_a_read_only_sqlite_database_gives_a_clear_message_and_saves_nothing(cast):
    client = signed_in(cast.case_worker, Client(raise_request_exception=False))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = _post_a_draft(cast, client)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert "Databasen går bara att läsa" in response.content.decode()
    assert not JournalNote.objects.exists()
    assert _post_a_draft(cast, client).status_code == 200
    assert JournalNote.objects.get().title == "Samtal"
