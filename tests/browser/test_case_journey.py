"""A case from moving out to the 12-month follow-up, in a real browser.

Moving out (phase and stay), an assessment, a plan covering the three core areas, a task per
area, the follow-ups scheduled from the day the person left, a 12-month follow-up with a new
assessment that raises the levels, an outcome, a journal note, and the timeline showing it all.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brygga.cases.models import OutcomeEvent, Phase
from brygga.journal.models import JournalNote
from tests.browser.conftest import browser_db, log_in_with_code

pytestmark = [pytest.mark.browser, browser_db]

CORE = [("housing", "Boende"), ("occupation", "Sysselsättning"), ("social", "Socialt stöd")]


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def save(page, name: str = "Spara") -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def assess(page, case_id: int, on: str, level: int) -> None:
    page.goto(f"/arenden/{case_id}/stod/bedomning/ny/")
    page.get_by_label("Bedömningsdatum").fill(on)
    for area, _label in CORE:
        page.locator(f'input[name="{area}-worker_level"][value="{level}"]').check()
        page.locator(f'input[name="{area}-person_level"][value="{level}"]').check()
    save(page, "Spara bedömningen")
    page.wait_for_url(f"**/arenden/{case_id}/")


def test_a_worker_walks_a_case_from_moving_out_to_the_twelve_month_follow_up(page, cast):
    from brygga.support.models import AssessmentRound, FollowUp, Goal, Task

    case = cast.case
    case.opened_on = timezone.localdate() - datetime.timedelta(days=430)
    case.save(update_fields=["opened_on"])
    log_in_with_code(page, cast.case_worker)

    # Moving out: the stay ends, and the recorded move-out moves the phase on by itself.
    page.goto(f"/arenden/{case.pk}/")
    page.get_by_role("link", name="Ny vistelse").click()
    page.get_by_label("Boende / utförare").fill("Skyddat boende Linden")
    page.get_by_label("Inflyttning").fill(days_ago(425))
    page.get_by_label("Utflyttning").fill(days_ago(372))
    save(page)
    expect(
        page.get_by_text(
            f"Utflyttningen flyttade ärendet till fasen Utslussning från {days_ago(372)}."
        )
    ).to_be_visible()

    # Assessment: the three core areas at level 2.
    assess(page, case.pk, days_ago(370), 2)

    # A plan: a goal per core area, and a task per area owned by the worker.
    for _area, label in CORE:
        page.goto(f"/arenden/{case.pk}/stod/mal/nytt/")
        page.get_by_label("Behovsområde").select_option(label=label)
        page.get_by_label("Mål").fill(f"Mål för {label.lower()}")
        save(page)
        page.goto(f"/arenden/{case.pk}/stod/uppgifter/ny/")
        page.get_by_label("Behovsområde").select_option(label=label)
        page.get_by_label("Uppgift (fri text)").fill(f"Första steget: {label.lower()}")
        page.get_by_label("En medarbetare").check()
        page.get_by_label("Medarbetare", exact=True).select_option(
            label=cast.case_worker.get_full_name()
        )
        page.get_by_label("Klart senast").fill(days_ago(300))
        save(page)
        # The case is walked in arrears: a due date in the past is confirmed once.
        page.get_by_label("Ja, datumet har redan passerat och ska stå kvar").check()
        save(page)
        page.wait_for_url(f"**/arenden/{case.pk}/")
    assert set(Goal.objects.filter(case=case).values_list("area", flat=True)) == {
        a for a, _ in CORE
    }
    assert set(Task.objects.filter(case=case).values_list("area", flat=True)) == {
        a for a, _ in CORE
    }

    # Follow-ups scheduled from the day the person left protected housing.
    page.goto(f"/arenden/{case.pk}/")
    page.get_by_role("button", name="Planera uppföljningar").click()
    page.wait_for_load_state()
    twelve = FollowUp.objects.get(case=case, months=12)

    # At twelve months: the follow-up, with a re-assessment raising the levels, on one page.
    page.get_by_role("link", name=twelve.planned_on.strftime("%Y-%m-%d")).click()
    page.get_by_label("Genomfört datum").fill(days_ago(0))
    page.get_by_label("Ja, vi hade kontakt").check()
    page.get_by_label("Deltagare").fill("Personen och socialsekreteraren")
    page.get_by_label("Anteckning", exact=True).fill("Boendet fungerar, SFI pågår.")
    for _area, label in CORE:
        area = page.get_by_role("group", name=label, exact=True)
        area.get_by_role("group", name="Nivå enligt socialsekreteraren").get_by_label(
            "4 – Klarar sig med lite stöd"
        ).check()
    save(page, "Spara uppföljningen")
    page.wait_for_url(f"**/arenden/{case.pk}/")
    twelve.refresh_from_db()
    latest = AssessmentRound.objects.filter(case=case).order_by("-assessed_on").first()
    assert twelve.held_on == timezone.localdate()
    assert twelve.assessment_round == latest
    assert sorted(latest.rows.values_list("worker_level", flat=True)) == [4, 4, 4]

    # An outcome and a journal note.
    page.goto(f"/arenden/{case.pk}/")
    page.get_by_role("link", name="Ny utfallshändelse").click()
    page.get_by_label("Händelse").select_option(label="Eget hyreskontrakt")
    page.get_by_label("Datum").fill(days_ago(0))
    save(page)
    page.goto(f"/arenden/{case.pk}/journal/ny/")
    page.get_by_label("Rubrik").fill("Tolvmånadersuppföljning")
    page.get_by_label("Anteckning").fill("Uppföljningen hölls med personen.")
    page.get_by_text("Utkast sparat").wait_for()  # autosaved as she typed
    save(page, "Signera")
    assert JournalNote.objects.get(case=case).is_signed
    assert OutcomeEvent.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.phase == Phase.MOVING_OUT

    # The timeline shows the whole journey, newest first.
    page.goto(f"/arenden/{case.pk}/tidslinje/")
    timeline = page.locator("ol.timeline").inner_text()
    for text in (
        "Fas: Utslussning",
        "Flyttade ut från skyddat boende",
        "Eget hyreskontrakt",
        "Journalanteckning: Tolvmånadersuppföljning",
    ):
        assert text in timeline
    assert "Uppföljningen hölls med personen." not in timeline
