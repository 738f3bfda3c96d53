"""The city view shows each district's route side by side: which unit grants what."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from brygga.organisation.models import Role, Unit
from brygga.support.models import DistrictRoute
from tests.conftest import signed_in
from tests.factories import UnitFactory, staff_member
from tests.support.conftest import catalogue

pytestmark = pytest.mark.django_db

SHIS = "Genomgångsbostad (SHIS)"


def _route(district_unit, deciding, type_name=SHIS, carrying=None):
    return DistrictRoute.objects.create(
        district=district_unit.administration,
        intervention_type=catalogue(type_name),
        deciding_unit=deciding,
        carrying_unit=carrying or deciding,
        owner_role=Role.WORKER,
        owner_unit=deciding,
    )


@pytest.fixture
def network(db):
    return staff_member(Role.NETWORK, None, username="network")


@pytest.fixture
def two_routes(cast):
    cast.sodermalm.kind = Unit.Kind.VIOLENCE_TEAM
    cast.sodermalm.save()
    aid = UnitFactory(
        administration=cast.rinkeby.administration,
        name="Ekonomiskt bistånd Rinkeby-Kista",
        kind=Unit.Kind.FINANCIAL_AID,
    )
    _route(cast.sodermalm, cast.sodermalm)
    _route(cast.rinkeby, aid)
    _route(cast.sodermalm, cast.sodermalm, "Jourlägenhet")
    _route(cast.rinkeby, cast.rinkeby, "Jourlägenhet")
    return aid


def _table(html: str) -> str:
    return html.split("Vem beviljar vad i stadsdelarna</caption>")[1].split("</table>")[0]


def test_the_network_sees_that_shis_flats_are_granted_by_different_units(cast, network, two_routes):
    html = signed_in(network).get(reverse("network:city")).content.decode()
    table = _table(html)
    shis_row = table.split(SHIS)[1].split("</tr>")[0]
    assert "olika vägar" in shis_row
    assert "Beslutar: Relationsvåldsteam (RVT)" in shis_row
    assert "Beslutar: Ekonomiskt bistånd" in shis_row
    emergency_row = table.split("Jourlägenhet")[1].split("</tr>")[0]
    assert "Beslutar: Relationsvåldsteam (RVT)" in emergency_row
    assert "olika vägar" not in emergency_row  # both districts route it the same way
    assert cast.case.person.full_name not in html


def test_the_printable_page_shows_the_routes_too(cast, network, two_routes):
    html = signed_in(network).get(reverse("network:city"), {"utskrift": "1"}).content.decode()
    assert "Beslutar: Ekonomiskt bistånd" in _table(html)


def test_the_route_table_costs_one_query_however_many_routes(cast, network, two_routes):
    client = signed_in(network)
    url = reverse("network:city")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for name in ["Kontaktperson", "Ekonomiskt bistånd", "Stödsamtal"]:
        _route(cast.sodermalm, cast.sodermalm, name)
        _route(cast.rinkeby, two_routes, name)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "Stödsamtal" in _table(html)
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "administrator"])
def test_the_city_view_with_routes_stays_the_networks_alone(cast, two_routes, persona):
    assert signed_in(getattr(cast, persona)).get(reverse("network:city")).status_code == 404


def test_the_spreadsheet_has_the_routes_on_a_sheet_of_their_own(cast, network, two_routes):
    content = signed_in(network).get(reverse("network:city_xlsx")).content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Likställighet"  # the figures stay first
    sheet = book["Vem beviljar vad"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header, *body = rows
    assert header[0] == "Insats" and len(header) == 3
    shis = next(r for r in body if r[0] == SHIS)
    assert "Beslutar och utför: Ekonomiskt bistånd" in shis
    assert "Beslutar och utför: Relationsvåldsteam (RVT)" in shis
