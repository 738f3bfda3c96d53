"""Four eyes and the enrolment code in a real browser, by role and accessible name (issue 14)."""

from __future__ import annotations

import pytest

from brygga.organisation.enrolment import issue_code
from brygga.organisation.models import Membership, Role, RoleRequest
from tests.browser.conftest import (
    PASSWORD,
    _submit_password,
    axe_violations,
    browser_db,
    log_in_with_code,
)

pytestmark = [pytest.mark.browser, browser_db]


def test_the_unit_manager_approves_a_role_from_the_queue(axe_page, cast):
    RoleRequest.objects.create(
        user=cast.colleague, role=Role.MANAGER, unit=cast.sodermalm, requested_by=cast.administrator
    )
    log_in_with_code(axe_page, cast.unit_manager)
    axe_page.get_by_text("Granskning och behörigheter", exact=True).click()  # the menu group
    axe_page.get_by_role("link", name="Rollbegäranden").click()
    axe_page.wait_for_load_state()
    assert axe_page.get_by_role("heading", name="Rollbegäranden", level=1).count() == 1
    assert axe_violations(axe_page) == []
    axe_page.get_by_role("button", name=f"Godkänn Enhetschef för {cast.colleague.username}").click()
    axe_page.wait_for_load_state()
    assert axe_page.get_by_text("Rollen är godkänd och gäller nu.").count() == 1
    assert axe_page.get_by_text("Inga rollbegäranden väntar på dig.").count() == 1
    assert Membership.objects.filter(user=cast.colleague, role=Role.MANAGER).exists()


def test_a_first_login_asks_for_the_enrolment_code_before_the_qr_code(axe_page, cast):
    code = issue_code(None, cast.colleague)
    _submit_password(axe_page, cast.colleague, PASSWORD)
    axe_page.wait_for_url("**/logga-in/registreringskod/**")
    assert axe_violations(axe_page) == []
    axe_page.get_by_role("textbox", name="Registreringskod").fill(code)
    axe_page.get_by_role("button", name="Fortsätt").click()
    axe_page.wait_for_url("**/logga-in/aktivera/**")
    assert axe_page.get_by_role("img").count() >= 1 or axe_page.locator("svg").count() >= 1
