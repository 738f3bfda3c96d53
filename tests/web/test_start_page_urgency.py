"""The start page groups the day's work by urgency, counts it, and keeps long lists short."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from brygga.cases.models import RiskAssessment
from brygga.support.models import InterventionStatus
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, follow_up, intervention, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def start_page(user) -> str:
    response = signed_in(user).get(reverse("start"))
    assert response.status_code == 200
    return response.text


def heading(html: str, level: int, name: str) -> str | None:
    """The text of the first <hN> whose text begins with `name`, tags stripped."""
    for inner in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        if text.startswith(name):
            return text
    return None


def risk_assessed(case) -> None:
    RiskAssessment.objects.create(
        case=case,
        instrument="patriark",
        assessed_on=today() - 10 * DAY,
        next_review_on=today() + 100 * DAY,
    )


def test_the_day_is_grouped_by_urgency_with_a_count_in_each_heading(cast):
    risk_assessed(cast.case)
    # The core needs assessed as met: no responsibility gaps to plan.
    assess(cast.case, today() - 10 * DAY, housing=4, occupation=4, social=4)
    follow_up(cast.case, today() - 3 * DAY, months=1)
    intervention(
        cast.case,
        "Kontaktperson",
        InterventionStatus.GRANTED,
        period_start=today() - 300 * DAY,
        period_end=today() + 10 * DAY,
    )
    html = start_page(cast.case_worker)
    # The late follow-up, and the early warning it raises.
    assert heading(html, 3, "Bråttom") == "Bråttom (2)"
    assert heading(html, 4, "Uppföljningar att hålla") == "Uppföljningar att hålla (1)"
    assert heading(html, 4, "Tidiga varningar") == "Tidiga varningar (1)"
    # The decision ends within 30 days and has no follow-on: it is in both lists.
    assert heading(html, 3, "De närmaste veckorna") == "De närmaste veckorna (1)"
    assert heading(html, 3, "Att planera") == "Att planera (1)"
    assert heading(html, 4, "Beslut utan fortsättning") == "Beslut utan fortsättning (1)"
    assert html.index("Bråttom") < html.index("De närmaste veckorna") < html.index("Att planera")


def test_a_case_without_any_risk_assessment_is_listed_until_it_gets_one(cast):
    assessed = case_with_team(cast.sodermalm, cast.case_worker)
    risk_assessed(assessed)
    html = start_page(cast.case_worker)
    listed = html[html.index("Ärenden utan riskbedömning") :]
    assert heading(html, 4, "Ärenden utan riskbedömning") == "Ärenden utan riskbedömning (1)"
    assert cast.case.person.full_name in listed.split("</ul>")[0]
    assert assessed.person.full_name not in listed.split("</ul>")[0]

    risk_assessed(cast.case)
    html = start_page(cast.case_worker)
    assert cast.case.person.full_name in html  # in the table of cases
    assert "Ärenden utan riskbedömning" not in html


def test_a_long_list_shows_five_and_offers_the_rest_behind_visa_alla(cast):
    cases = [case_with_team(cast.sodermalm, cast.case_worker) for _ in range(7)]
    html = start_page(cast.case_worker)
    assert heading(html, 4, "Ärenden utan riskbedömning") == "Ärenden utan riskbedömning (8)"
    # The list's own section (the new cases' unassessed core needs make a long list too).
    section = html[html.index('id="todo-without_risk_assessment"') :]
    visible, rest = section.split("<details", 1)
    collapsed = rest.split("</details>", 1)[0]
    assert "Visa alla 8" in collapsed
    shown_first = [c for c in [cast.case, *cases] if c.person.full_name in visible]
    shown_later = [c for c in [cast.case, *cases] if c.person.full_name in collapsed]
    assert len(shown_first) == 5 and len(shown_later) == 3


def test_old_decisions_without_follow_on_do_not_crowd_out_this_months(cast):
    risk_assessed(cast.case)
    for years_ago in range(1, 4):
        intervention(
            cast.case,
            "Kontaktperson",
            InterventionStatus.ENDED,
            period_start=today() - (365 * years_ago + 200) * DAY,
            period_end=today() - 365 * years_ago * DAY,
            no_follow_on_needed=years_ago > 1,  # only the latest old one still asks for one
        )
    fresh = case_with_team(cast.sodermalm, cast.case_worker)
    risk_assessed(fresh)
    intervention(
        fresh,
        "Boendestöd / boendelots",
        InterventionStatus.GRANTED,
        period_start=today() - 100 * DAY,
        period_end=today() + 5 * DAY,
    )
    html = start_page(cast.case_worker)
    section = html[html.index('id="todo-no_follow_on"') :].split("</ul>")[0]
    assert fresh.person.full_name in section
    assert section.index(fresh.person.full_name) < section.index(cast.case.person.full_name)


def test_the_case_table_has_a_heading_with_the_number_of_cases(cast):
    case_with_team(cast.sodermalm, cast.case_worker)
    html = start_page(cast.case_worker)
    assert heading(html, 2, "Ärenden du har tillgång till") == "Ärenden du har tillgång till (2)"
    assert heading(html, 2, "Att göra") == "Att göra"


def test_another_districts_worker_sees_neither_the_case_nor_its_missing_risk_assessment(cast):
    own = case_with_team(cast.rinkeby, cast.other_district_worker)
    html = start_page(cast.other_district_worker)
    assert heading(html, 4, "Ärenden utan riskbedömning") == "Ärenden utan riskbedömning (1)"
    assert own.person.full_name in html
    assert cast.case.person.full_name not in html


def test_a_list_longer_than_the_page_shows_says_only_the_first_are_here(cast, monkeypatch):
    from brygga.support import queries

    monkeypatch.setattr(queries.first_rows, "__kwdefaults__", {"limit": 6})
    for _ in range(7):
        case_with_team(cast.sodermalm, cast.case_worker)
    html = start_page(cast.case_worker)
    assert heading(html, 4, "Ärenden utan riskbedömning") == "Ärenden utan riskbedömning (8)"
    assert "Visa alla 8" in html and "Här visas de 6 första." in html
