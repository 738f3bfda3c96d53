"""axe-core finds no serious or critical violation on the main pages; no sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, browser_db, log_in_with_code

pytestmark = [pytest.mark.browser, browser_db]


def test_the_accessibility_check_finds_a_planted_violation(axe_page, cast):
    axe_page.goto("/logga-in/")
    axe_page.evaluate("() => document.documentElement.removeAttribute('lang')")

    assert [v["id"] for v in axe_violations(axe_page)] == ["html-has-lang"]


def test_the_login_page_has_no_serious_accessibility_violation(axe_page, cast):
    axe_page.goto("/logga-in/")

    assert axe_violations(axe_page) == []


def test_the_login_page_with_errors_has_no_serious_accessibility_violation(axe_page, cast):
    axe_page.goto("/logga-in/")
    axe_page.get_by_role("button", name="Logga in").click()
    axe_page.wait_for_load_state()

    assert axe_page.locator(".error-summary, [role=alert]").count() > 0
    assert axe_violations(axe_page) == []


def test_the_start_page_has_no_serious_accessibility_violation(axe_page, cast):
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto("/")

    assert axe_violations(axe_page) == []


def test_the_case_page_has_no_serious_accessibility_violation(axe_page, cast):
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.goto(f"/arenden/{cast.case.pk}/")

    assert axe_violations(axe_page) == []


def test_the_not_found_page_has_no_serious_accessibility_violation(axe_page, cast):
    log_in_with_code(axe_page, cast.other_district_worker)
    axe_page.goto(f"/arenden/{cast.case.pk}/")

    assert axe_violations(axe_page) == []


def test_the_case_page_at_200_percent_zoom_does_not_scroll_sideways(axe_page, cast):
    log_in_with_code(axe_page, cast.case_worker)
    axe_page.set_viewport_size({"width": 640, "height": 900})  # 1280 px wide at 200 % zoom
    axe_page.goto(f"/arenden/{cast.case.pk}/")

    overflow = axe_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
