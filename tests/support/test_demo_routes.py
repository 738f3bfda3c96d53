"""The demo's routes differ between districts, and its providers and owners fit their types."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from brygga.cases.demo import PROVIDERS as STAY_PROVIDERS
from brygga.housing.models import LeftReason, WaitingEntry
from brygga.organisation.models import Unit
from brygga.support.demo import PROVIDERS, SHIS
from brygga.support.models import ActorKind, DistrictRoute, Intervention, Task

pytestmark = pytest.mark.django_db

SHELTERS = ("kvinnojour", "skyddat boende", "tryggt hem", "jourboende")


@pytest.fixture
def demo(db):
    call_command("seed_demo", persons=150, seed=3, today=datetime.date(2026, 6, 1))


def _shis_route(district_name: str) -> DistrictRoute:
    return DistrictRoute.objects.select_related("deciding_unit").get(
        district__name__startswith=district_name, intervention_type__name=SHIS
    )


def test_sodermalm_grants_shis_flats_through_the_violence_team_rinkeby_through_financial_aid(
    demo,
):
    assert _shis_route("Södermalm").deciding_unit.kind == Unit.Kind.VIOLENCE_TEAM
    assert _shis_route("Rinkeby-Kista").deciding_unit.kind == Unit.Kind.FINANCIAL_AID


def test_every_demo_intervention_with_a_route_is_owned_and_provided_as_the_route_says(demo):
    routes = {
        (r.district_id, r.intervention_type_id): r
        for r in DistrictRoute.objects.select_related("carrying_unit")
    }
    checked = 0
    for iv in Intervention.objects.select_related("case__owning_unit"):
        route = routes.get((iv.case.owning_unit.administration_id, iv.type_id))
        if route is None:
            continue
        checked += 1
        assert iv.provider == route.carrying_unit.name, (iv.type.name, iv.provider)
        assert (iv.actor_kind, iv.actor_role, iv.actor_unit_id) == (
            ActorKind.ROLE,
            route.owner_role,
            route.owner_unit_id,
        )
    assert checked > 20  # the demo really plans interventions that have routes


def test_no_demo_intervention_is_provided_by_an_organisation_that_does_other_work(demo):
    wrong = []
    for iv in Intervention.objects.select_related("type"):
        provider = iv.provider.lower()
        if iv.type.area in ("economy", "housing", "occupation") and any(
            shelter in provider for shelter in SHELTERS
        ):
            wrong.append((iv.type.name, iv.provider))
        if iv.actor_kind == ActorKind.ORGANISATION:
            assert iv.actor_organisation in PROVIDERS[iv.type.name], iv.type.name
    assert wrong == []
    # The positive side: financial aid is provided by a financial aid unit.
    aid = Intervention.objects.filter(type__name="Ekonomiskt bistånd")
    assert aid.exists()
    assert set(aid.values_list("provider", flat=True)) <= set(
        Unit.objects.filter(kind=Unit.Kind.FINANCIAL_AID).values_list("name", flat=True)
    )


def test_no_demo_economy_task_is_given_to_a_womens_shelter(demo):
    tasks = Task.objects.filter(area="economy", actor_kind=ActorKind.ORGANISATION)
    assert tasks.exists()
    assert not [t for t in tasks if any(s in t.actor_organisation.lower() for s in SHELTERS)]


def test_no_demo_plan_item_names_a_shelter_as_its_responsible_organisation(demo):
    owned = [
        *Intervention.objects.filter(actor_kind=ActorKind.ORGANISATION),
        *Task.objects.filter(actor_kind=ActorKind.ORGANISATION),
    ]
    # Outside organisations do own interventions and tasks (safety and health tasks among them) ...
    assert {type(item) for item in owned} == {Intervention, Task}
    assert Task.objects.filter(area="safety", actor_kind=ActorKind.ORGANISATION).exists()
    # ... but none is a shelter: that would tell a read-only reader where the person stays.
    named = {item.actor_organisation for item in owned}
    assert not [o for o in named if o in STAY_PROVIDERS or any(s in o.lower() for s in SHELTERS)]


def test_the_demo_waiting_lists_keep_who_left_and_why(demo):
    left = WaitingEntry.objects.filter(left_on__isnull=False)
    reasons = set(left.values_list("left_reason", flat=True))
    assert LeftReason.ALLOCATED in reasons
    assert len(reasons) >= 3  # and other reasons than a flat
    assert "" not in reasons
    assert WaitingEntry.objects.filter(left_on__isnull=True).exists()  # others still wait
    assert not [e for e in left if e.left_on < e.since]
