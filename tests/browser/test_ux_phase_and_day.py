"""In a real browser, by role and name: a relapse's phase confirmed in one click, the start
page's collapsed lists, the owner fields one at a time, and the manager's menu group."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from brygga.cases.models import Phase
from tests.browser.conftest import axe_violations, browser_db, log_in_with_code
from tests.factories import case_with_team
from tests.support.conftest import assess, today

pytestmark = [pytest.mark.browser, browser_db]

DAY = datetime.timedelta(days=1)


def test_a_relapse_proposes_protected_housing_and_one_click_confirms_it(axe_page, cast):
    page = axe_page
    cast.case.phase = Phase.ESTABLISHING
    cast.case.opened_on = today() - 300 * DAY
    cast.case.save(update_fields=["phase", "opened_on"])
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/")
    page.get_by_role("link", name="Ny utfallshändelse").click()
    page.get_by_label("Händelse").select_option(label="Ny vistelse i skyddat boende")
    page.get_by_role("button", name="Spara").click()

    page.wait_for_url(f"**/arenden/{cast.case.pk}/fas/")
    proposal = page.get_by_role("region", name="Förslag efter återfallet")
    expect(proposal).to_be_visible()
    expect(proposal.get_by_role("link", name="Behåll fasen Etablering")).to_be_visible()
    assert axe_violations(page) == []
    proposal.get_by_role("button", name="Byt till Skyddat boende").click()

    page.wait_for_url(f"**/arenden/{cast.case.pk}/")
    expect(page.get_by_text("Fasen är ändrad.")).to_be_visible()
    page.goto(f"/arenden/{cast.case.pk}/tidslinje/")
    who = cast.case_worker.get_full_name()
    expect(page.get_by_text(f"Föreslagen efter ett återfall, bekräftad av {who}")).to_be_visible()


def test_a_long_list_on_the_start_page_opens_from_the_keyboard(axe_page, cast):
    page = axe_page
    others = [case_with_team(cast.sodermalm, cast.case_worker) for _ in range(6)]
    for case in [cast.case, *others]:
        # Core needs assessed as met: only the seven cases without a risk assessment to plan.
        assess(case, today() - datetime.timedelta(days=10), housing=4, occupation=4, social=4)
    log_in_with_code(page, cast.case_worker)
    page.goto("/")
    expect(page.get_by_role("heading", name="Att planera (7)")).to_be_visible()
    hidden_name = others[-1].person.full_name
    shown = [c.person.full_name for c in [cast.case, *others]]
    todo = page.get_by_role("region", name="Att göra")
    visible_now = [n for n in shown if todo.get_by_role("link", name=n).first.is_visible()]
    assert len(visible_now) == 5

    toggle = todo.get_by_text("Visa alla 7")
    toggle.focus()
    page.keyboard.press("Enter")
    for name in shown:
        expect(todo.get_by_role("link", name=name).first).to_be_visible()
    assert hidden_name in todo.inner_text()
    assert axe_violations(page) == []


def test_the_task_form_shows_the_owner_fields_of_the_chosen_kind_only(page, cast):
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/stod/uppgifter/ny/")
    colleague = page.get_by_label("Medarbetare", exact=True)
    organisation = page.get_by_label("Extern organisation", exact=True)
    expect(colleague).to_be_hidden()
    expect(organisation).to_be_hidden()

    page.get_by_label("En medarbetare").check()
    expect(colleague).to_be_visible()
    expect(organisation).to_be_hidden()
    page.get_by_label("En extern organisation").check()
    expect(organisation).to_be_visible()
    expect(colleague).to_be_hidden()


def test_the_managers_review_pages_open_from_the_menu_group(page, cast):
    log_in_with_code(page, cast.unit_manager)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    log_review = menu.get_by_role("link", name="Loggkontroll")
    expect(menu.get_by_role("link", name="Enhetens översikt")).to_be_visible()
    expect(log_review).to_be_hidden()
    menu.get_by_text("Granskning och behörigheter").click()
    expect(log_review).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]
