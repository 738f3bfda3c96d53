"""Who sees the inventory, who may reveal a flat's address, and that every reveal is audited.

The rule: the holding unit's managers and the current tenancy's case team reveal the address;
a worker who does not allocate it, another district, the network role, statisticians and
administrators never see it (404, the same as a flat that does not exist).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.organisation.models import Role
from brygga.people.models import MASK
from tests.conftest import signed_in
from tests.factories import staff_member
from tests.housing.conftest import ADDRESS, DAY, allocated, flat, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(cast):
    """A Södermalm flat that the cast's case holds now."""
    home = flat(cast.sodermalm, label="GB-SOD-01")
    allocated(home, cast.case, today() - 30 * DAY)
    return home


def persona(cast, name):
    if name == "network":
        return staff_member(Role.NETWORK, None, username="network")
    if name == "statistician":
        return staff_member(Role.STATISTICIAN, None, username="statistician")
    return getattr(cast, name)


REVEAL = {
    "unit_manager": 200,
    "case_worker": 200,
    "housing_support": 200,
    "colleague": 404,
    "other_district_worker": 404,
    "other_district_manager": 404,
    "administrator": 404,
    "statistician": 404,
    "network": 404,
}


@pytest.mark.parametrize(("name", "status"), REVEAL.items())
def test_only_the_holding_units_managers_and_the_tenancy_team_reveal_the_address(
    cast, held, name, status
):
    response = signed_in(persona(cast, name)).get(reverse("housing:flat_address", args=[held.pk]))
    assert response.status_code == status
    body = response.content.decode()
    if status == 200:
        assert ADDRESS in body
        event = AuditEvent.objects.get(object_type="housing.Flat", object_id=str(held.pk))
        # The reveal is logged against the tenant, so it is in her log extract.
        assert event.person_id == cast.case.person_id
        assert event.detail["revealed"] == "address"
    else:
        assert ADDRESS not in body
        assert not AuditEvent.objects.filter(object_type="housing.Flat").exists()


def test_a_free_flats_address_is_for_the_managers_only(cast):
    free = flat(cast.sodermalm)
    url = reverse("housing:flat_address", args=[free.pk])
    assert signed_in(cast.unit_manager).get(url).status_code == 200
    assert signed_in(cast.case_worker).get(url).status_code == 404


def test_after_she_moves_out_her_team_no_longer_sees_the_address(cast, held):
    held.allocations.update(ended_on=today(), moved_to="own_lease")
    url = reverse("housing:flat_address", args=[held.pk])
    assert signed_in(cast.unit_manager).get(url).status_code == 200
    assert signed_in(cast.case_worker).get(url).status_code == 404


INVENTORY = {
    "unit_manager": 200,
    "case_worker": 200,
    "colleague": 200,
    "housing_support": 200,
    "other_district_worker": 404,
    "administrator": 404,
    "statistician": 404,
    "network": 404,
}


@pytest.mark.parametrize(("name", "status"), INVENTORY.items())
def test_the_flat_page_is_for_the_holding_units_staff_and_always_masks_the_address(
    cast, held, name, status
):
    client = signed_in(persona(cast, name))
    response = client.get(reverse("housing:flat_detail", args=[held.pk]))
    assert response.status_code == status
    body = response.content.decode()
    assert ADDRESS not in body
    if status == 200:
        assert "GB-SOD-01" in body and MASK in body


def test_the_inventory_lists_the_units_flats_with_holder_but_never_an_address(cast, held):
    body = signed_in(cast.colleague).get(reverse("housing:inventory")).content.decode()
    assert "GB-SOD-01" in body and "Upptagen" in body
    assert ADDRESS not in body
    # The colleague is not on the case: the holder is a case number, not a name.
    assert str(cast.case) in body
    assert cast.case.person.full_name not in body
    mine = signed_in(cast.case_worker).get(reverse("housing:inventory")).content.decode()
    assert cast.case.person.full_name in mine


def test_another_districts_inventory_does_not_show_this_districts_flats(cast, held):
    other = flat(cast.rinkeby, label="JL-RIN-01", kind="emergency")
    body = signed_in(cast.other_district_worker).get(reverse("housing:inventory"))
    text = body.content.decode()
    assert other.label in text
    assert "GB-SOD-01" not in text


@pytest.mark.parametrize("page", ["inventory", "waiting_list", "occupancy"])
def test_the_network_role_gets_404_on_the_district_housing_pages(cast, page):
    client = signed_in(persona(cast, "network"))
    assert client.get(reverse(f"housing:{page}")).status_code == 404
    assert signed_in(cast.case_worker).get(reverse(f"housing:{page}")).status_code == 200


def test_the_case_page_shows_the_flat_but_not_its_address(cast, held):
    body = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    text = body.content.decode()
    assert "Tillfälligt boende" in text and "GB-SOD-01" in text
    assert ADDRESS not in text
