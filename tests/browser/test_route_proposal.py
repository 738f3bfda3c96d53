"""Choosing an intervention type proposes the district's route, in a real browser (ADR 0110)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from brygga.organisation.models import Role, Unit
from brygga.support.models import DistrictRoute, Intervention, InterventionType
from tests.browser.conftest import browser_db, log_in_with_code
from tests.factories import UnitFactory, case_with_team

pytestmark = [pytest.mark.browser, browser_db]

SHIS = "Genomgångsbostad (SHIS)"


@pytest.fixture
def rinkeby_case(cast):
    # A transactional test flushes the catalogue the migrations seeded: put the type back.
    shis, _ = InterventionType.objects.get_or_create(
        name=SHIS,
        defaults={"area": "housing", "default_period_months": 12, "minimum_period_months": 6},
    )
    aid = UnitFactory(
        administration=cast.rinkeby.administration,
        name="Ekonomiskt bistånd Rinkeby-Kista",
        kind=Unit.Kind.FINANCIAL_AID,
    )
    DistrictRoute.objects.create(
        district=cast.rinkeby.administration,
        intervention_type=shis,
        deciding_unit=aid,
        carrying_unit=aid,
        owner_role=Role.WORKER,
        owner_unit=aid,
    )
    return case_with_team(cast.rinkeby, cast.other_district_worker), aid, shis


def test_choosing_a_shis_flat_in_rinkeby_proposes_financial_aid_and_the_worker_may_change_it(
    page, cast, rinkeby_case
):
    case, aid, shis = rinkeby_case
    log_in_with_code(page, cast.other_district_worker)
    page.goto(f"/arenden/{case.pk}/stod/insatser/ny/")
    hint = page.get_by_role("status").filter(has_text="Enligt stadsdelens rutin")
    expect(hint).to_be_hidden()
    page.get_by_role("combobox", name="Insats", exact=True).select_option(label=SHIS)
    assert "Ekonomiskt bistånd Rinkeby-Kista" in hint.inner_text()
    assert page.get_by_role("radio", name="En roll i en enhet").is_checked()
    unit = page.get_by_role("combobox", name="Enhet", exact=True)
    expect(unit).to_be_visible()  # the owner fields of a role in a unit are shown
    assert unit.input_value() == str(aid.pk)
    assert page.get_by_role("textbox", name="Utförare").input_value() == aid.name
    # Only a proposal: the worker gives it to the violence team instead, and that is saved.
    page.get_by_role("combobox", name="Enhet", exact=True).select_option(str(cast.rinkeby.pk))
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/arenden/{case.pk}/")
    saved = Intervention.objects.get(case=case, type=shis)
    assert saved.actor_unit_id == cast.rinkeby.pk and saved.actor_role == Role.WORKER
