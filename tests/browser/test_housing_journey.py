"""Transitional housing in a real browser: a worker allocates a flat from a decision and ends
it with "own lease"; the district's occupancy and the network's equal-access view change."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brygga.cases.models import OutcomeEvent
from brygga.housing.models import WaitingEntry
from brygga.organisation.models import Role
from brygga.support.models import InterventionType
from tests.browser.conftest import axe_violations, browser_db, log_in_with_code
from tests.factories import case_with_team, staff_member
from tests.housing.conftest import decision, flat

pytestmark = [pytest.mark.browser, browser_db]
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def waiting(unit, n: int, since_days: int = 60) -> None:
    for _ in range(n):
        case = case_with_team(unit, staff_member(Role.WORKER, unit))
        WaitingEntry.objects.create(
            case=case,
            district=unit.administration,
            kind="transitional",
            since=today() - since_days * DAY,
        )


def waiting_in(page, district: str) -> str:
    row = page.get_by_role("row").filter(has_text=district)
    return row.get_by_role("cell").nth(3).inner_text().strip()


def log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/**")


@pytest.fixture
def housing_world(cast):
    # A transactional test flushes the catalogue the migrations seeded: put the type back.
    InterventionType.objects.get_or_create(
        name="Genomgångsbostad (SHIS)",
        defaults={"area": "housing", "default_period_months": 12, "minimum_period_months": 6},
    )
    home = flat(cast.sodermalm, label="GB-SOD-01", available_from=today() - 400 * DAY)
    granted = decision(cast.case)
    WaitingEntry.objects.create(
        case=cast.case,
        district=cast.sodermalm.administration,
        kind="transitional",
        since=today() - 60 * DAY,
    )
    waiting(cast.sodermalm, 5)
    waiting(cast.rinkeby, 5)
    network = staff_member(Role.NETWORK, None, username="network")
    return home, granted, network


def test_allocate_end_with_own_lease_and_see_occupancy_and_equal_access_change(
    page, browser, live_server, cast, housing_world
):
    home, granted, network = housing_world
    sodermalm = cast.sodermalm.administration.name

    # The network (in its own browser) sees six waiting in Södermalm before.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(20_000)
    city = context.new_page()
    log_in_with_code(city, network)
    city.get_by_role("link", name="Likställighet").first.click()
    assert waiting_in(city, sodermalm) == "6"

    # The worker allocates the flat from the decision, backdated to a month ago.
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/")
    page.get_by_role("link", name="Tilldela lägenhet").click()
    page.get_by_label("Beslut").select_option(str(granted.pk))
    page.get_by_label("Lägenhet").select_option(str(home.pk))
    page.get_by_label("Inflyttning").fill((today() - 30 * DAY).isoformat())
    page.get_by_role("button", name="Tilldela", exact=True).click()
    expect(page.get_by_text("Lägenheten är tilldelad.")).to_be_visible()
    expect(page.get_by_role("cell", name="GB-SOD-01", exact=False).first).to_be_visible()

    # She gets her own lease: the allocation ends today.
    page.get_by_role("link", name="Avsluta tilldelning").click()
    page.get_by_label("Utflyttning").fill(today().isoformat())
    page.get_by_label("Eget hyreskontrakt").check()
    page.get_by_role("button", name="Avsluta", exact=True).click()
    expect(page.get_by_text("Tilldelningen är avslutad.")).to_be_visible()
    assert OutcomeEvent.objects.get(case=cast.case).kind == "own_tenancy"

    # The district's occupancy: one stay of 30 days, one move-in.
    page.get_by_role("link", name="Tillfälligt boende").first.click()
    page.get_by_role("link", name="Beläggning").click()
    row = page.get_by_role("row").filter(has_text="Genomgångsbostad (SHIS)")
    cells = row.get_by_role("cell")
    assert cells.nth(5).inner_text().strip() == "30"  # average stay in days
    assert cells.nth(4).inner_text().strip() == "1,0"  # turnover: one move-in per flat

    # The equal-access view: she no longer waits.
    city.reload()
    assert waiting_in(city, sodermalm) == "5"
    expect(city.get_by_role("rowheader", name="Stadens median")).to_be_visible()
    context.close()


def test_the_housing_and_city_pages_pass_axe(axe_page, cast, housing_world):
    home, _granted, network = housing_world
    page = axe_page
    log_in_with_code(page, cast.unit_manager)
    for path in [
        "/boende/",
        "/boende/ko/",
        "/boende/belaggning/",
        f"/boende/lagenheter/{home.pk}/",
        f"/arenden/{cast.case.pk}/boende/tilldela/",
    ]:
        page.goto(path)
        assert axe_violations(page) == [], path
    log_out(page)
    log_in_with_code(page, network)
    for path in ["/natverk/likstallighet/", "/natverk/uppdrag/", "/natverk/uppdrag/nytt/"]:
        page.goto(path)
        assert axe_violations(page) == [], path
