"""The demo inventory differs realistically between districts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from brygga.housing.models import Allocation, Flat, FlatKind, WaitingEntry
from brygga.organisation.models import Administration, Membership, Role

pytestmark = pytest.mark.django_db


def test_every_district_has_an_inventory_some_without_emergency_flats():
    out = StringIO()
    call_command("seed_demo", persons=300, seed=5, stdout=out)
    districts = Administration.objects.filter(kind=Administration.Kind.DISTRICT)
    kinds = {
        d.pk: set(Flat.objects.filter(district=d).values_list("kind", flat=True)) for d in districts
    }
    assert all(kinds.values())
    assert any(FlatKind.EMERGENCY not in k for k in kinds.values())
    assert any(FlatKind.EMERGENCY in k for k in kinds.values())
    assert len({Flat.objects.filter(district_id=pk).count() for pk in kinds}) > 3
    assert all("(fiktiv)" in f.address for f in Flat.objects.all())
    assert Allocation.objects.filter(ended_on__isnull=True).exists()
    assert Allocation.objects.exclude(moved_to="").exists()
    assert WaitingEntry.objects.exists()
    assert Membership.objects.filter(role=Role.NETWORK).exists()
    assert "natverk" in out.getvalue()
