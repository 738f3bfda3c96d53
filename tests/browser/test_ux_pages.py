"""The social worker's day in a real browser: charts that draw, landmarks, phone widths."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, log_in_with_code
from tests.support.conftest import assess, today

pytestmark = [pytest.mark.browser, browser_db]

DAY = datetime.timedelta(days=1)


def region_findings(page) -> list[list[str]]:
    """axe-core's "region" rule: all content inside a landmark (any impact)."""
    from tests.browser.conftest import AXE

    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'rule', values: ['region']}})"
    )
    return [node["target"] for v in result["violations"] for node in v["nodes"]]


def test_the_level_charts_draw_in_swedish_with_points_where_the_levels_are(page, cast):
    assess(cast.case, today() - 90 * DAY, housing=1)
    assess(cast.case, today(), housing=4)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/")

    chart = page.get_by_role("img", name="Nivåer över tid för Boende")
    expect(chart).to_be_visible()
    centres = chart.locator("circle").evaluate_all(
        "cs => cs.map(c => [c.cx.baseVal.value, c.cy.baseVal.value])"
    )
    assert len(centres) == 2
    (x1, y1), (x2, y2) = centres
    assert x2 > x1 > 0  # later to the right
    assert y1 > y2 > 0  # level 4 higher up than level 1
    axis = chart.locator("text").all_text_contents()
    assert (today() - 90 * DAY).isoformat() in axis and today().isoformat() in axis
    assert errors == []


def test_the_demo_banner_sits_inside_a_landmark(axe_page, cast):
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto("/")

    expect(axe_page.get_by_role("banner").get_by_text("DEMO – fiktiva uppgifter")).to_be_visible()
    assert region_findings(axe_page) == []


def test_from_the_start_page_a_follow_up_with_reassessment_is_done_in_three_page_loads(page, cast):
    from brygga.support.models import FollowUp
    from tests.support.conftest import follow_up

    assess(cast.case, today() - 40 * DAY, housing=2, occupation=3, social=2)
    item = follow_up(cast.case, today() - 2 * DAY, months=1)
    log_in_with_code(page, cast.case_worker)
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))

    page.goto("/")
    page.get_by_role("link", name=f"Håll uppföljning med {cast.case.person.full_name}").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"{cast.case.person.full_name} · {cast.case}").first).to_be_visible()
    page.get_by_label("Ja, vi hade kontakt").check()
    page.get_by_label("Anteckning", exact=True).fill("Har fått jobb på ett café.")
    occupation = page.get_by_role("group", name="Sysselsättning", exact=True)
    occupation.get_by_role("group", name="Nivå enligt socialsekreteraren").get_by_label(
        "4 – Klarar sig med lite stöd"
    ).check()
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"**/arenden/{cast.case.pk}/")
    page.wait_for_load_state()

    expect(page.get_by_text("Uppföljningen och den nya bedömningen är sparade.")).to_be_visible()
    assert len(loads) <= 3
    item = FollowUp.objects.get(pk=item.pk)
    assert item.held_on == today() and item.contact_made is True
    levels = {a.area: a.worker_level for a in item.assessment_round.rows.all()}
    assert levels == {"housing": 2, "occupation": 4, "social": 2}


CASE_FORMS = [
    "stod/bedomning/ny/",
    "stod/insatser/ny/",
    "stod/uppgifter/ny/",
    "stod/mal/nytt/",
]


@pytest.mark.parametrize("form", CASE_FORMS)
def test_case_forms_with_errors_have_no_serious_violation_and_name_the_case(axe_page, cast, form):
    from tests.browser.conftest import axe_violations

    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto(f"/arenden/{cast.case.pk}/{form}")
    expect(
        axe_page.get_by_role(
            "link", name=f"Tillbaka till {cast.case.person.full_name} · {cast.case}"
        )
    ).to_be_visible()
    axe_page.get_by_role("button", name=re.compile("^Spara")).click()
    axe_page.wait_for_load_state()

    expect(axe_page.get_by_role("alert").first).to_be_visible()
    assert axe_violations(axe_page) == []
    assert region_findings(axe_page) == []


def test_the_follow_up_page_with_errors_has_no_serious_violation(axe_page, cast):
    from tests.browser.conftest import axe_violations
    from tests.support.conftest import follow_up

    assess(cast.case, today() - 40 * DAY, housing=2)
    item = follow_up(cast.case, today() - 2 * DAY, months=1)
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto(f"/arenden/{cast.case.pk}/stod/uppfoljningar/{item.pk}/")
    assert axe_violations(axe_page) == []
    axe_page.get_by_label("Genomfört datum").fill("")
    axe_page.get_by_label("Ja, vi hade kontakt").check()
    axe_page.get_by_role("button", name="Spara uppföljningen").click()
    axe_page.wait_for_load_state()

    expect(
        axe_page.get_by_role("alert").get_by_text("Ange när uppföljningen hölls.")
    ).to_be_visible()
    assert axe_violations(axe_page) == []
    assert region_findings(axe_page) == []


def _sideways(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


PHONE = {"width": 390, "height": 844}


def test_at_390_px_the_main_pages_do_not_scroll_sideways(browser, live_server, cast):
    from brygga.support.models import InterventionStatus, InterventionType
    from tests.support.conftest import follow_up, intervention

    # Transactional browser tests flush the catalogue the migrations filled: make sure of it.
    InterventionType.objects.get_or_create(
        name="Jourlägenhet", defaults={"area": "housing", "is_decision": True}
    )
    assess(cast.case, today() - 40 * DAY, housing=2, occupation=3)
    intervention(
        cast.case,
        "Jourlägenhet",
        InterventionStatus.GRANTED,
        period_start=today() - 30 * DAY,
        period_end=today() + 300 * DAY,
        provider="Stiftelsen Fiktiva Hem i Stockholm",
    )
    item = follow_up(cast.case, today() - 2 * DAY, months=1)
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport=PHONE, is_mobile=True
    )
    page = context.new_page()
    try:
        log_in_with_code(page, cast.unit_manager)
        pages = [
            "/",
            f"/arenden/{cast.case.pk}/",
            "/arenden/nytt/",
            f"/arenden/{cast.case.pk}/stod/bedomning/ny/",
            f"/arenden/{cast.case.pk}/stod/insatser/ny/",
            f"/arenden/{cast.case.pk}/stod/uppgifter/ny/",
            f"/arenden/{cast.case.pk}/stod/uppfoljningar/{item.pk}/",
            "/stod/oversikt/",
        ]
        wide = {}
        for path in pages:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if _sideways(page) > 0:
                wide[path] = _sideways(page)
        assert wide == {}
    finally:
        context.close()


def test_the_manager_overview_has_no_serious_violation_and_counts_link_to_cases(axe_page, cast):
    from tests.browser.conftest import axe_violations

    log_in_with_code(axe_page, cast.unit_manager)
    axe_page.goto("/stod/oversikt/")
    expect(axe_page.get_by_role("heading", name="Enhetens ärenden")).to_be_visible()
    assert axe_violations(axe_page) == []
    assert region_findings(axe_page) == []

    axe_page.get_by_role("link", name="1 ärende i fasen Skyddat boende").click()
    axe_page.wait_for_load_state()
    expect(axe_page.get_by_role("link", name=cast.case.person.full_name).first).to_be_visible()
    expect(axe_page.get_by_text("Visar 1–1 av 1 ärenden.")).to_be_visible()
