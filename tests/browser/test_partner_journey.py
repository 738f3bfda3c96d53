"""Working with civil society in a real browser: the worker records consent and refers the
person from a plan intervention to an organisation; the partner sees only what the consent
allows and answers; the worker sees the answer, on the plan item too; after withdrawal the
partner sees only "Återkallat"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from brygga.people.models import ProtectedDetails
from brygga.support.models import ActorKind, Intervention, InterventionType
from tests.browser.conftest import browser_db, log_in_with_code
from tests.partners.conftest import organisation, partner_user

pytestmark = [pytest.mark.browser, browser_db]
ADDRESS = "Hemliga gatan 7, 123 45 Gömstad"
SUMMARY = "Vill öva svenska och träffa andra."


def test_consent_referral_answer_and_withdrawal_across_worker_and_partner(
    page, browser, live_server, cast
):
    person = cast.case.person
    ProtectedDetails.objects.create(person=person, address=ADDRESS)
    mentors = organisation("Mentorer för kvinnor (fiktiv)")
    partner = partner_user(mentors, "mentor_partner")
    until = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    # A transactional test flushes the catalogue the migrations seeded: make the one we need.
    mentoring, _ = InterventionType.objects.get_or_create(
        name="Mentorskap (test)", defaults={"area": "social", "is_decision": False}
    )
    Intervention.objects.create(
        case=cast.case,
        type=mentoring,
        area="social",
        status="planned",
        actor_kind=ActorKind.ORGANISATION,
        actor_organisation=mentors.name,
    )

    # The worker records what the person agreed to share, and refers her.
    log_in_with_code(page, cast.case_worker)
    page.goto(f"/arenden/{cast.case.pk}/")
    page.get_by_role("link", name="Registrera samtycke").first.click()
    page.get_by_role("combobox", name="Organisation").select_option(label=mentors.name)
    page.get_by_role("textbox", name="Syfte").fill("Mentorprogram")
    page.get_by_label("Förnamn (bara förnamnet)").check()
    page.get_by_label("En kort sammanfattning").check()
    page.get_by_label("Kort sammanfattning för organisationen").fill(SUMMARY)
    page.get_by_label("Skriftligt").check()
    page.get_by_role("textbox", name="Gäller till").fill(until)
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/arenden/{cast.case.pk}/")
    page.get_by_role("link", name="Förmedla till organisation").first.click()
    page.get_by_label(mentors.name, exact=False).check()
    page.get_by_role("combobox", name="Insats i planen").select_option(label="Mentorskap (test)")
    page.get_by_role("button", name="Skicka förmedling").click()
    page.wait_for_url(f"**/arenden/{cast.case.pk}/")
    referrals = page.get_by_role("table", name="Förmedlingar")
    assert "Skickad" in referrals.inner_text()

    # The partner, in a browser of its own, sees the first name and summary, nothing else.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(10_000)
    portal = context.new_page()
    log_in_with_code(portal, partner)
    portal.goto("/partner/")
    portal.get_by_role("link", name=re.compile(r"^Förmedling \d+$")).click()
    shared = portal.get_by_role("region", name="Det personen har samtyckt till att dela")
    assert person.first_name in shared.inner_text() and SUMMARY in shared.inner_text()
    body = portal.locator("body").inner_text()
    assert person.last_name not in body and "Hemliga gatan" not in body
    assert not person.identity_number or person.identity_number not in body
    portal.get_by_label("Accepterad").check()
    portal.get_by_role("button", name="Spara status").click()
    portal.get_by_label("Personen har deltagit").check()
    portal.get_by_role("button", name="Skicka återkoppling").click()

    # The worker sees the answer on the case page.
    page.reload()
    answered = page.get_by_role("table", name="Förmedlingar").inner_text()
    assert "Accepterad" in answered and "Personen har deltagit" in answered
    assert "Mentorskap (test)" in answered
    plan_item = page.get_by_role("cell").filter(has_text="Mentorskap (test)").first
    assert f"Förmedlad till {mentors.name}: Accepterad" in plan_item.inner_text()

    # Withdrawn: on the partner's next request only the word remains.
    page.get_by_role("button", name=f"Återkalla samtycket för {mentors.name}").click()
    portal.reload()
    assert "Återkallat" in portal.locator("main").inner_text()
    assert person.first_name not in portal.locator("main").inner_text()
    assert SUMMARY not in portal.locator("main").inner_text()
    context.close()
