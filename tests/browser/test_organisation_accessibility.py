"""axe-core finds no serious violation on the organisation, route and waiting-list pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from brygga.housing.models import WaitingEntry
from brygga.organisation.models import Team
from tests.browser.conftest import axe_violations, browser_db, log_in_with_code

pytestmark = [pytest.mark.browser, browser_db]


def test_the_administrators_organisation_and_route_pages_pass_the_accessibility_check(
    axe_page, cast
):
    Team.objects.create(unit=cast.sodermalm, name="Team Vuxna")
    log_in_with_code(axe_page, cast.administrator)
    checked = []
    for path in [
        "/organisation/",
        f"/organisation/enheter/{cast.sodermalm.pk}/",
        "/organisation/enheter/ny/",
        "/stod/rutiner/",
        "/stod/rutiner/ny/",
    ]:
        axe_page.goto(path)
        assert axe_page.get_by_role("heading", level=1).count() == 1, path
        assert axe_violations(axe_page) == [], path
        checked.append(path)
    assert len(checked) == 5


def test_the_unit_page_with_an_error_passes_the_accessibility_check(axe_page, cast):
    log_in_with_code(axe_page, cast.administrator)
    axe_page.goto(f"/organisation/enheter/{cast.sodermalm.pk}/")
    axe_page.get_by_role("textbox", name="Namn", exact=True).fill("")
    axe_page.get_by_role("button", name="Spara", exact=True).click()
    axe_page.wait_for_load_state()
    assert axe_page.get_by_text("Ange ett namn.").count() >= 1
    assert axe_violations(axe_page) == []


def test_the_waiting_list_removal_page_passes_the_accessibility_check(axe_page, cast):
    entry = WaitingEntry.objects.create(
        case=cast.case,
        district=cast.sodermalm.administration,
        kind="transitional",
        since=timezone.localdate(),
    )
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto(f"/arenden/{cast.case.pk}/boende/ko/{entry.pk}/lamna/")
    assert axe_page.get_by_role("radio", name="Annat skäl").count() == 1
    assert axe_violations(axe_page) == []
