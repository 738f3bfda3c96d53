"""The main journeys in a real browser: log in, open a case, and be refused another district's."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from brygga.audit.models import Action, AuditEvent
from tests.browser.conftest import PASSWORD, browser_db, log_in_as_demo_user, log_in_with_code

pytestmark = [pytest.mark.browser, browser_db]


def test_a_worker_logs_in_with_a_code_and_opens_their_case_from_the_start_page(page, cast):
    log_in_with_code(page, cast.case_worker)
    expect(page.get_by_role("heading", name="Mina ärenden")).to_be_visible()

    cases = page.get_by_role("table", name="Ärenden du har tillgång till")
    cases.get_by_role("link", name=cast.case.person.full_name).click()

    page.wait_for_url(f"**/arenden/{cast.case.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(cast.case.person.full_name)
    assert AuditEvent.objects.filter(
        action=Action.VIEW, user_id=cast.case_worker.pk, person_id=cast.case.person_id
    ).exists()


def test_a_demo_user_skips_the_code_and_lands_on_the_start_page(page, cast):
    log_in_as_demo_user(page, cast.unit_manager)

    expect(page.get_by_role("heading", name="Mina ärenden")).to_be_visible()
    cases = page.get_by_role("table", name="Ärenden du har tillgång till")
    expect(cases.get_by_role("link", name=cast.case.person.full_name)).to_be_visible()


def test_a_wrong_code_keeps_the_user_on_the_code_page_with_a_message(page, cast):
    TOTPDevice.objects.create(user=cast.case_worker, name="Telefon", confirmed=True)
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(cast.case_worker.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/logga-in/kod/**")

    page.get_by_label("Engångskod").fill("abc")
    page.get_by_role("button", name="Fortsätt").click()

    assert "/logga-in/kod/" in page.url
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Koden ska vara sex siffror.").first).to_be_visible()
    page.goto("/")
    assert "/logga-in/kod/" in page.url  # still no way past the code page


def test_a_worker_from_another_district_gets_not_found(page, cast):
    log_in_with_code(page, cast.other_district_worker)

    response = page.goto(f"/arenden/{cast.case.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()
    assert cast.case.person.full_name not in page.content()


def test_pages_break_no_content_security_policy_rule(page, cast):
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/")
    page.wait_for_load_state("networkidle")

    assert complaints == []
