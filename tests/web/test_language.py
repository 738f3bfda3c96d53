"""Swedish first; English can be chosen with the language form on every page."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.test import Client

from tests.conftest import Cast, signed_in

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_pages_are_swedish_by_default(cast: Cast) -> None:
    login = Client().get("/logga-in/").content.decode()
    assert _lang(login) == "sv"
    assert "Logga in i Brygga" in login
    assert _lang(signed_in(cast.case_worker).get("/").content.decode()) == "sv"


def test_english_can_be_chosen_before_logging_in(db: None) -> None:
    client = Client()
    response = client.post("/sprak/", {"language": "en", "next": "/logga-in/"})
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    html = client.get("/logga-in/").content.decode()
    assert _lang(html) == "en"
    assert "Log in to Brygga" in html
    assert "Username" in html
    assert "Logga in i Brygga" not in html


def test_english_can_be_chosen_when_signed_in_and_back_again(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    client.post("/sprak/", {"language": "en", "next": "/"})
    assert _lang(client.get("/").content.decode()) == "en"
    client.post("/sprak/", {"language": "sv", "next": "/"})
    assert _lang(client.get("/").content.decode()) == "sv"


def test_the_language_form_does_not_redirect_to_another_host(db: None) -> None:
    response = Client().post("/sprak/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(db: None) -> None:
    client = Client()
    client.post("/sprak/", {"language": "xx", "next": "/logga-in/"})
    assert _lang(client.get("/logga-in/").content.decode()) == "sv"


def test_every_message_has_an_english_translation() -> None:
    catalogue = polib.pofile(str(PO))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
