"""A task handed to housing support and back, in a real browser (issue 7's journey).

Amira's case is new: her housing was never assessed, so it shows as a gap. Her worker gives
housing support a task in the area, which closes the gap while it is open; the boendestödjare
finds it under "Mitt arbete" and marks it done with a note; the worker reads the note on the
case page, records the assessment it made possible, and the gap stays closed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from brygga.support.models import Task
from tests.browser.conftest import browser_db, log_in_with_code
from tests.support.conftest import assess

pytestmark = [pytest.mark.browser, browser_db]

TITLE = "Hembesök: se hur boendet fungerar"
NOTE = "Hembesök gjort. Hon klarar boendet med lite stöd med räkningarna."


def gap_alert(page):
    return page.get_by_role("alert", name="Ansvarsglapp")


@pytest.fixture
def second_page(browser, live_server):
    """The boendestödjare's own browser: her session is not the worker's."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_the_worker_hands_a_task_to_housing_support_who_closes_it_and_the_gap_stays_closed(
    page, second_page, cast
):
    page.set_default_timeout(30_000)  # a long journey: slack for a busy machine
    case = cast.case
    # Occupation and social support are assessed as met: only housing was never assessed.
    assess(case, case.opened_on, occupation=4, social=4)
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{case.pk}/")
    expect(gap_alert(page)).to_contain_text("Boende – inte bedömt")
    expect(page.get_by_role("heading", name="Boende Ansvarsglapp")).to_be_visible()

    # The worker gives housing support a task in the housing area.
    page.get_by_role("link", name="Ny uppgift").click()
    page.get_by_role("combobox", name="Behovsområde").select_option(label="Boende")
    page.get_by_role("textbox", name="Uppgift (fri text)").fill(TITLE)
    page.get_by_role("radio", name="En medarbetare").check()
    page.get_by_role("combobox", name="Medarbetare").select_option(
        label=cast.housing_support.get_full_name()
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/arenden/{case.pk}/")

    # Someone carries housing now: no gap while the task is open.
    expect(page.get_by_role("status").first).to_contain_text("Uppgiften är sparad.")
    expect(page.get_by_role("heading", name="Boende", exact=True).first).to_be_visible()
    expect(gap_alert(page)).to_have_count(0)

    # The boendestödjare, in her own browser, finds it under "Mitt arbete" and marks it done.
    worker_page, page = page, second_page
    log_in_with_code(page, cast.housing_support)
    my_work = page.get_by_role("list", name="Mitt arbete")
    expect(my_work).to_contain_text(TITLE)
    expect(my_work.get_by_role("link", name=case.person.full_name)).to_be_visible()
    my_work.get_by_role("link", name=f"Markera som klar: {TITLE}").click()
    page.get_by_role("textbox", name="Anteckning till ärendeteamet").fill(NOTE)
    page.get_by_role("button", name="Markera som klar").click()
    page.wait_for_url(f"**/arenden/{case.pk}/")
    page.goto("/")
    expect(page.get_by_role("heading", name="Mitt arbete")).to_be_visible()
    expect(page.get_by_role("list", name="Mitt arbete")).to_have_count(0)  # nothing left open

    task = Task.objects.get(case=case, title=TITLE)
    assert task.is_done and task.done_by == cast.housing_support and task.done_note == NOTE

    # The worker sees it done with the note. A done task carries nothing: housing is a gap
    # again until it is assessed.
    page = worker_page
    page.reload()
    done = page.get_by_role("list", name="Klara uppgifter (senaste 30 dagarna)")
    expect(done).to_contain_text(TITLE)
    expect(done).to_contain_text(NOTE)
    expect(gap_alert(page)).to_contain_text("Boende – inte bedömt")

    # From the note: housing at level 4, managing with a little support. The gap is closed.
    page.goto(f"/arenden/{case.pk}/stod/bedomning/ny/")
    page.get_by_role("group", name="Boende").get_by_role(
        "radio", name="4 – Klarar sig med lite stöd"
    ).first.check()
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_url(f"**/arenden/{case.pk}/")
    expect(page.get_by_role("heading", name="Boende", exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Boende Ansvarsglapp")).to_have_count(0)
    expect(gap_alert(page)).to_have_count(0)
