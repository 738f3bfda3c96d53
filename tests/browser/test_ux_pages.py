"""The social worker's day in a real browser: charts that draw, landmarks, phone widths."""

from __future__ import annotations

import datetime

import pytest

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
    assert chart.is_visible()
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

    assert axe_page.get_by_role("banner").get_by_text("DEMO – fiktiva uppgifter").is_visible()
    assert region_findings(axe_page) == []
