"""Routes per district: the administrator keeps them; planning an intervention proposes them."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import Administration, Role, Unit
from brygga.support.models import DistrictRoute, Intervention
from tests.conftest import signed_in
from tests.factories import UnitFactory, case_with_team
from tests.support.conftest import catalogue

pytestmark = pytest.mark.django_db

SHIS = "Genomgångsbostad (SHIS)"


@pytest.fixture
def routes(cast):
    """SHIS flats: granted by the violence team on Södermalm, by financial aid in Rinkeby."""
    rinkeby_aid = UnitFactory(
        administration=cast.rinkeby.administration,
        name="Ekonomiskt bistånd Rinkeby-Kista",
        kind=Unit.Kind.FINANCIAL_AID,
    )
    shis = catalogue(SHIS)
    DistrictRoute.objects.create(
        district=cast.sodermalm.administration,
        intervention_type=shis,
        deciding_unit=cast.sodermalm,
        carrying_unit=cast.sodermalm,
        owner_role=Role.WORKER,
        owner_unit=cast.sodermalm,
    )
    DistrictRoute.objects.create(
        district=cast.rinkeby.administration,
        intervention_type=shis,
        deciding_unit=rinkeby_aid,
        carrying_unit=rinkeby_aid,
        owner_role=Role.WORKER,
        owner_unit=rinkeby_aid,
    )
    return rinkeby_aid


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    chosen = re.search(r'<option value="(\d+)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else ""


def _new_intervention(case) -> str:
    return reverse("support:intervention_new", args=[case.pk])


def test_planning_a_shis_flat_on_sodermalm_proposes_the_violence_team(cast, routes):
    shis = catalogue(SHIS)
    page = signed_in(cast.case_worker).get(_new_intervention(cast.case), {"insatstyp": shis.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert _selected(html, "actor_unit") == str(cast.sodermalm.pk)
    assert re.search(r'name="actor_kind" value="role"[^>]*checked', html)
    assert "Enligt stadsdelens rutin beslutar Relationsvåldsteamet Södermalm" in html
    assert routes.name not in html.split('id="route-proposal-hint"')[1].split("</p>")[0]


def test_the_same_type_in_rinkeby_proposes_financial_aid(cast, routes):
    case = case_with_team(cast.rinkeby, cast.other_district_worker)
    shis = catalogue(SHIS)
    page = signed_in(cast.other_district_worker).get(
        _new_intervention(case), {"insatstyp": shis.pk}
    )
    html = page.content.decode()
    assert _selected(html, "actor_unit") == str(routes.pk)
    assert f'value="{routes.name}"' in html  # the provider: the unit that carries it out
    assert "Enligt stadsdelens rutin beslutar Ekonomiskt bistånd Rinkeby-Kista" in html


def test_the_page_carries_every_route_of_the_district_for_the_type_picker(cast, routes):
    page = signed_in(cast.case_worker).get(_new_intervention(cast.case))
    html = page.content.decode()
    data = json.loads(re.search(r'id="route-proposals"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data == {
        str(catalogue(SHIS).pk): {
            "actor_kind": "role",
            "actor_role": "worker",
            "actor_unit": cast.sodermalm.pk,
            "provider": cast.sodermalm.name,
            "hint": data[str(catalogue(SHIS).pk)]["hint"],
        }
    }
    assert routes.name not in json.dumps(data)  # Rinkeby's route is not Södermalm's proposal


def test_the_proposal_is_only_a_proposal_the_worker_chooses_another_owner(cast, routes):
    shis = catalogue(SHIS)
    response = signed_in(cast.case_worker).post(
        _new_intervention(cast.case),
        {
            "type": shis.pk,
            "status": "planned",
            "provider": "Bostadsförmedlingen (demo)",
            "actor_kind": "staff",
            "actor_user": cast.case_worker.pk,
        },
    )
    assert response.status_code == 302
    saved = Intervention.objects.get(case=cast.case, type=shis)
    assert saved.actor_user == cast.case_worker and saved.actor_unit is None
    assert saved.provider == "Bostadsförmedlingen (demo)"


@pytest.mark.parametrize("junk", ["", "abc", "9" * 40, "-1", str(2**63)])
def test_a_junk_type_in_the_address_proposes_nothing_and_breaks_nothing(cast, routes, junk):
    page = signed_in(cast.case_worker).get(_new_intervention(cast.case), {"insatstyp": junk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<form" in html
    assert 'id="route-proposal-hint" hidden' in html


def test_the_new_intervention_page_reads_routes_in_constant_queries(cast, routes):
    client = signed_in(cast.case_worker)
    url = _new_intervention(cast.case)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for name in ["Jourlägenhet", "Kontaktperson", "Ekonomiskt bistånd"]:
        DistrictRoute.objects.create(
            district=cast.sodermalm.administration,
            intervention_type=catalogue(name),
            deciding_unit=cast.sodermalm,
            carrying_unit=cast.sodermalm,
            owner_role=Role.WORKER,
            owner_unit=cast.sodermalm,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def _route_data(cast, **overrides):
    data = {
        "district": cast.sodermalm.administration_id,
        "intervention_type": catalogue("Jourlägenhet").pk,
        "deciding_unit": cast.sodermalm.pk,
        "carrying_unit": cast.sodermalm.pk,
        "owner_role": Role.WORKER,
        "owner_unit": cast.sodermalm.pk,
    }
    data.update(overrides)
    return data


def test_the_administrator_adds_a_route_and_it_is_audited(cast):
    response = signed_in(cast.administrator).post(reverse("support:route_new"), _route_data(cast))
    route = DistrictRoute.objects.get()
    assert response.status_code == 302
    assert route.deciding_unit == cast.sodermalm
    event = AuditEvent.objects.get(object_type="support.DistrictRoute")
    assert event.action == Action.CREATE and event.user_id == cast.administrator.pk
    listing = signed_in(cast.administrator).get(reverse("support:routes")).content.decode()
    assert "Jourlägenhet" in listing and cast.sodermalm.name in listing


def test_a_unit_of_another_district_is_refused_next_to_the_field(cast):
    response = signed_in(cast.administrator).post(
        reverse("support:route_new"), _route_data(cast, deciding_unit=cast.rinkeby.pk)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj en enhet i stadsdelen eller en stadsövergripande enhet." in html
    assert not DistrictRoute.objects.exists()


def test_a_citywide_unit_may_carry_out_a_district_route(cast):
    citywide = Administration.objects.create(
        municipality=cast.sodermalm.administration.municipality,
        name="Arbetsmarknadsförvaltningen",
        kind=Administration.Kind.CITYWIDE,
    )
    jobbtorg = UnitFactory(administration=citywide, name="Jobbtorg", kind=Unit.Kind.EMPLOYMENT)
    response = signed_in(cast.administrator).post(
        reverse("support:route_new"), _route_data(cast, carrying_unit=jobbtorg.pk)
    )
    assert response.status_code == 302
    assert DistrictRoute.objects.get().carrying_unit == jobbtorg


def test_a_second_route_for_the_same_type_in_the_district_is_refused(cast, routes):
    before = DistrictRoute.objects.count()
    response = signed_in(cast.administrator).post(
        reverse("support:route_new"), _route_data(cast, intervention_type=catalogue(SHIS).pk)
    )
    assert "Stadsdelen har redan en rutin för insatsen" in response.content.decode()
    assert DistrictRoute.objects.count() == before


def test_an_inactive_unit_is_not_offered_for_a_route(cast):
    closed = UnitFactory(administration=cast.sodermalm.administration, name="Nedlagd enhet")
    closed.active = False
    closed.save()
    response = signed_in(cast.administrator).post(
        reverse("support:route_new"), _route_data(cast, owner_unit=closed.pk)
    )
    assert "Välj en aktiv enhet i listan." in response.content.decode()
    assert not DistrictRoute.objects.exists()


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "housing_support"])
def test_only_the_administrator_finds_the_route_pages(cast, routes, persona):
    route = DistrictRoute.objects.first()
    client = signed_in(getattr(cast, persona))
    admin = signed_in(cast.administrator)
    for url in [
        reverse("support:routes"),
        reverse("support:route_new"),
        reverse("support:route_edit", args=[route.pk]),
    ]:
        assert admin.get(url).status_code == 200
        assert client.get(url).status_code == 404
    remove = reverse("support:route_remove", args=[route.pk])
    assert client.post(remove).status_code == 404
    assert DistrictRoute.objects.filter(pk=route.pk).exists()


def test_removing_a_route_keeps_plans_and_logs_what_it_was(cast, routes):
    route = DistrictRoute.objects.get(district=cast.rinkeby.administration)
    signed_in(cast.administrator).post(reverse("support:route_remove", args=[route.pk]))
    assert not DistrictRoute.objects.filter(pk=route.pk).exists()
    event = AuditEvent.objects.get(object_type="support.DistrictRoute", object_id=str(route.pk))
    assert event.detail["removed"]["deciding_unit"] == routes.pk


def test_a_route_whose_owner_unit_was_deactivated_is_not_proposed_and_the_list_says_so(
    cast, routes
):
    shis = catalogue(SHIS)
    cast.sodermalm.active = False
    cast.sodermalm.save()
    page = signed_in(cast.case_worker).get(_new_intervention(cast.case), {"insatstyp": shis.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="route-proposal-hint" hidden' in html
    assert _selected(html, "type") == str(shis.pk)  # the type is still chosen, only no owner
    listing = signed_in(cast.administrator).get(reverse("support:routes")).content.decode()
    assert "Inaktiverad enhet – föreslås inte" in listing
    assert routes.name in listing  # Rinkeby's route is listed as it is


def test_a_worker_of_a_deactivated_unit_is_not_offered_it_for_a_new_case(cast):
    def offered_units() -> str:
        page = signed_in(cast.case_worker).get(reverse("open_case")).content.decode()
        return re.search(r'<select name="case-owning_unit".*?</select>', page, re.S).group(0)

    assert f'value="{cast.sodermalm.pk}"' in offered_units()
    cast.sodermalm.active = False
    cast.sodermalm.save()
    assert f'value="{cast.sodermalm.pk}"' not in offered_units()
