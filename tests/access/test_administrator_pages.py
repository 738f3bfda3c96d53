"""The administrator's pages (organisation, routes, catalogue) × every persona.

Generated from the URL patterns like the access matrix: every page under the administrator's
prefixes answers the administrator and is "not found" to everyone else, GET and POST, and a
refused POST changes nothing.
"""

from __future__ import annotations

import pytest

from brygga.audit.models import AuditEvent
from tests.access.test_matrix import INSIDERS, OUTSIDERS, ROUTES, build_url, request
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ADMINISTRATOR_PREFIXES = ("organisation/", "stod/rutiner/", "stod/insatskatalog/")
ADMINISTRATOR_ROUTES = [(r, n) for r, n in ROUTES if r.startswith(ADMINISTRATOR_PREFIXES)]


def test_the_walk_finds_the_organisation_and_route_pages():
    names = {name for _route, name in ADMINISTRATOR_ROUTES}
    assert {"structure", "unit_edit", "team_edit", "routes", "route_edit"} <= names


def test_the_administrator_opens_every_administrator_page(world):
    client = signed_in(world.users["administrator"])
    wrong, opened = [], 0
    for route, name in ADMINISTRATOR_ROUTES:
        path, _ = build_url(route, world, [])
        status, _body = request(client, "get", path)
        if status >= 500:
            wrong.append(f"GET {path} [{name}] -> {status}")
        opened += status == 200
    assert wrong == []
    assert opened >= 8


@pytest.mark.parametrize("persona", [p for p in INSIDERS + OUTSIDERS if p != "administrator"])
def test_everyone_else_finds_no_administrator_page_and_changes_nothing(world, persona):
    client = signed_in(world.users[persona])
    before = AuditEvent.objects.filter(action__in=["create", "update"]).count()
    wrong = []
    for route, name in ADMINISTRATOR_ROUTES:
        path, _ = build_url(route, world, [])
        for method in ("get", "post"):
            status, _body = request(client, method, path)
            if status != 404:
                wrong.append(f"{method.upper()} {path} [{name}] -> {status}, expected 404")
    assert wrong == []
    assert AuditEvent.objects.filter(action__in=["create", "update"]).count() == before
