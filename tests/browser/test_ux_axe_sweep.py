"""axe-core over the pages issue 12 changed, the forms shown with their errors too: no serious
or critical violation and no content outside a landmark."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, browser_db, log_in_with_code
from tests.browser.test_ux_pages import region_findings
from tests.support.conftest import today

pytestmark = [pytest.mark.browser, browser_db]

DAY = datetime.timedelta(days=1)


def findings(page) -> dict[str, object]:
    found: dict[str, object] = {}
    serious = axe_violations(page)
    if serious:
        found["serious"] = serious
    regions = region_findings(page)
    if regions:
        found["region"] = regions
    return found


def test_the_changed_pages_and_their_forms_with_errors_pass_axe(axe_page, cast):
    page = axe_page
    log_in_with_code(page, cast.case_worker)
    case = f"/arenden/{cast.case.pk}"
    problems: dict[str, object] = {}

    for path in ["/", f"{case}/", f"{case}/fas/", f"{case}/stod/uppgifter/ny/"]:
        page.goto(path)
        problems.update({path: f} for f in [findings(page)] if f)

    # The task form with its errors: nothing chosen, and a due date in the past.
    page.goto(f"{case}/stod/uppgifter/ny/")
    page.get_by_label("Klart senast").fill((today() - DAY).isoformat())
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Datumet har redan passerat.").first).to_be_visible()
    expect(page.get_by_label("Ja, datumet har redan passerat och ska stå kvar")).to_be_visible()
    problems.update({"task form with errors": f} for f in [findings(page)] if f)

    # A new person without a number and without a birth year.
    page.goto("/arenden/nytt/")
    page.get_by_role("button", name="Spara och öppna ärendet").click()
    expect(page.get_by_text("Ange födelseår när personen saknar nummer.").first).to_be_visible()
    problems.update({"new case with errors": f} for f in [findings(page)] if f)

    assert problems == {}
