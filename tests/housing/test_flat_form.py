"""Managers keep their unit's inventory; the address is written, never shown back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.housing.models import Flat
from tests.conftest import signed_in
from tests.housing.conftest import ADDRESS, flat, today

pytestmark = pytest.mark.django_db


def test_the_manager_adds_a_flat_with_its_address_encrypted_and_audited(cast):
    client = signed_in(cast.unit_manager)
    response = client.post(
        reverse("housing:flat_new"),
        {
            "holding_unit": cast.sodermalm.pk,
            "kind": "emergency",
            "label": "JL-SOD-09",
            "rooms": 2,
            "landlord": "Familjebostäder",
            "available_from": today().isoformat(),
            "new_address": "Nya gatan 1, 999 97 Fiktivstad",
        },
    )
    assert response.status_code == 302
    new = Flat.objects.get(label="JL-SOD-09")
    assert new.district == cast.sodermalm.administration
    assert new.address == "Nya gatan 1, 999 97 Fiktivstad"
    event = AuditEvent.objects.get(action="create", object_type="housing.Flat")
    assert "Nya gatan" not in str(event.detail)


def test_the_edit_form_never_shows_the_address_and_keeps_it_when_left_empty(cast):
    home = flat(cast.sodermalm, label="GB-SOD-05")
    client = signed_in(cast.unit_manager)
    url = reverse("housing:flat_edit", args=[home.pk])
    page = client.get(url).content.decode()
    assert "GB-SOD-05" in page and ADDRESS not in page
    response = client.post(
        url,
        {
            "kind": home.kind,
            "label": "GB-SOD-05",
            "rooms": 3,
            "landlord": home.landlord,
            "available_from": home.available_from.isoformat(),
            "blocked": "on",
            "new_address": "",
            "version": home.version,
        },
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.rooms == 3 and home.blocked and home.address == ADDRESS


@pytest.mark.parametrize("name", ["case_worker", "colleague", "other_district_manager"])
def test_only_the_holding_units_manager_edits_a_flat(cast, name):
    home = flat(cast.sodermalm)
    client = signed_in(getattr(cast, name))
    assert client.get(reverse("housing:flat_edit", args=[home.pk])).status_code == 404
    assert (
        signed_in(cast.unit_manager).get(reverse("housing:flat_edit", args=[home.pk])).status_code
        == 200
    )


def test_a_new_flat_needs_an_address_and_a_unique_label(cast):
    flat(cast.sodermalm, label="GB-SOD-01")
    response = signed_in(cast.unit_manager).post(
        reverse("housing:flat_new"),
        {
            "holding_unit": cast.sodermalm.pk,
            "kind": "transitional",
            "label": "GB-SOD-01",
            "rooms": 1,
            "landlord": "SHIS Bostäder",
            "available_from": today().isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Det finns redan en lägenhet med den beteckningen." in body
    assert Flat.objects.count() == 1
