"""The main menu keeps a manager's and an administrator's less frequent pages in a collapsed
group (a <details> disclosure: keyboard-usable, named by its visible summary) (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def menu(user) -> str:
    html = signed_in(user).get(reverse("start")).text
    return re.search(r'<nav aria-label="Huvudmeny">(.*?)</nav>', html, re.S).group(1)


def group(nav: str, summary: str) -> str:
    found = re.search(rf"<details><summary>{summary}</summary>(.*?)</details>", nav, re.S)
    assert found, summary
    return found.group(1)


def test_the_managers_review_pages_sit_in_one_collapsed_group(cast):
    nav = menu(cast.unit_manager)
    assert "Enhetens översikt" in nav  # the daily page stays in sight
    review = group(nav, "Granskning och behörigheter")
    for page in ["Loggkontroll", "Granska nödåtkomst", "Nummerträffar", "Rollbegäranden"]:
        assert page in review
    assert "<details open" not in nav


def test_the_administrators_settings_sit_in_their_own_group(cast):
    nav = menu(cast.administrator)
    assert "Användare" in nav
    admin = group(nav, "Administration")
    assert "Insatskatalog" in admin and "Rollbegäranden" in admin
    assert "Granskning och behörigheter" not in nav


def test_a_case_worker_sees_neither_group(cast):
    nav = menu(cast.case_worker)
    assert "Sök" in nav and "Nytt ärende" in nav
    assert "<details>" not in nav
