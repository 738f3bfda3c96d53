"""A unit manager records and lifts a legal hold in a real browser; the administrator's jobs
page and the legal-hold page pass the accessibility check."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from brygga.retention.models import LegalHold
from tests.browser.conftest import axe_violations, browser_db, log_in_with_code

pytestmark = [pytest.mark.browser, browser_db]

REASON = "Vårdnadstvist prövas i tingsrätten (fiktivt)"


def test_a_manager_records_and_lifts_a_legal_hold_from_the_case_page(axe_page, cast):
    page = axe_page
    log_in_with_code(page, cast.unit_manager)
    page.goto(f"/arenden/{cast.case.pk}/")

    page.get_by_role("navigation", name="Ärendets sidor").get_by_role(
        "link", name="Bevarandebeslut"
    ).click()
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Välj grunden för beslutet.").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Grund").select_option(label="Pågående domstolsprocess")
    page.get_by_label("Motivering").fill(REASON)
    page.get_by_role("button", name="Registrera beslutet").click()

    expect(page.get_by_role("cell", name=REASON)).to_be_visible()
    assert LegalHold.objects.in_force().filter(case=cast.case).count() == 1
    page.get_by_role("link", name="Upphäv beslutet").click()
    page.get_by_label("Skäl för upphävandet").fill("Domen har vunnit laga kraft (fiktivt)")
    page.get_by_role("button", name="Upphäv beslutet").click()
    expect(page.get_by_text("Bevarandebeslutet är upphävt.")).to_be_visible()
    assert LegalHold.objects.in_force().filter(case=cast.case).count() == 0


def test_the_jobs_page_has_no_serious_accessibility_violation(axe_page, cast):
    log_in_with_code(axe_page, cast.administrator)
    axe_page.goto("/")
    axe_page.get_by_text("Administration", exact=True).click()  # the menu group opens
    axe_page.get_by_role("link", name="Schemalagda jobb").click()

    expect(axe_page.get_by_role("heading", name="Schemalagda jobb", level=1)).to_be_visible()
    expect(axe_page.get_by_role("button", name="Köa jobbet")).to_be_visible()
    assert axe_violations(axe_page) == []
