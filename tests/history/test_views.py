"""Pages of the case history, per persona; bad input; the case-page panel; query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import (
    OutcomeEvent,
    OutcomeKind,
    Phase,
    PhaseChange,
    ProtectedHousingStay,
    RiskAssessment,
    RiskInstrument,
    RiskLevel,
    RiskScenario,
)
from tests.conftest import signed_in
from tests.factories import case_with_team

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)

READ_PAGES = ["case_risk_assessments", "case_timeline"]
WRITE_PAGES = ["case_change_phase", "case_add_stay", "case_add_risk_assessment", "case_add_outcome"]


def url(name, case, *args):
    return reverse(name, args=[case.pk, *args])


@pytest.fixture
def case(cast):
    cast.case.opened_on = TODAY - datetime.timedelta(days=400)
    cast.case.save(update_fields=["opened_on"])
    return cast.case


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_the_case_worker_and_the_unit_manager_open_every_history_page(cast, case, persona, name):
    response = signed_in(getattr(cast, persona)).get(url(name, case))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["colleague", "other_district_worker", "administrator"])
@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_anyone_outside_the_case_gets_not_found(cast, case, persona, name):
    response = signed_in(getattr(cast, persona)).get(url(name, case))
    assert response.status_code == 404
    assert case.person.full_name not in response.content.decode()


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_housing_support_sees_her_part_of_the_case_but_none_of_its_history(cast, case, name):
    client = signed_in(cast.housing_support)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert client.get(url(name, case)).status_code == 404
    assert client.post(url(name, case), {}).status_code == 404


def test_a_history_page_is_audited_as_a_view_of_the_person(cast, case):
    signed_in(cast.case_worker).get(url("case_timeline", case))
    assert AuditEvent.objects.filter(
        action=Action.VIEW, user_id=cast.case_worker.pk, person_id=case.person_id
    ).exists()


def test_the_worker_changes_the_phase(cast, case):
    response = signed_in(cast.case_worker).post(
        url("case_change_phase", case),
        {
            "phase": Phase.MOVING_OUT,
            "entered_on": YESTERDAY.isoformat(),
            "current_phase": case.phase,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.MOVING_OUT
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="cases.PhaseChange", person_id=case.person_id
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phase": Phase.MOVING_OUT, "entered_on": ""}, "Ange ett datum."),
        ({"phase": Phase.MOVING_OUT, "entered_on": "15/3"}, "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"phase": "semester", "entered_on": "2026-01-01"}, "Välj en av faserna i listan."),
        ({"phase": Phase.PROTECTED_HOUSING, "entered_on": "2026-01-01"}, "redan i fasen"),
        ({"phase": Phase.MOVING_OUT, "entered_on": "2999-01-01"}, "framtiden"),
    ],
)
def test_a_bad_phase_change_gets_a_swedish_message_and_saves_nothing(cast, case, data, message):
    data = {"current_phase": case.phase, **data}
    response = signed_in(cast.case_worker).post(url("case_change_phase", case), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PhaseChange.objects.exists()
    case.refresh_from_db()
    assert case.phase == Phase.PROTECTED_HOUSING


def test_the_worker_records_a_stay_and_its_end_anchors_the_follow_ups(cast, case):
    client = signed_in(cast.case_worker)
    start = TODAY - datetime.timedelta(days=100)
    client.post(
        url("case_add_stay", case),
        {"provider": "Skyddat boende Linden", "started_on": start.isoformat(), "ended_on": ""},
    )
    stay = ProtectedHousingStay.objects.get(case=case)

    response = client.post(
        url("case_edit_stay", case, stay.pk),
        {
            "provider": "Skyddat boende Linden",
            "started_on": start.isoformat(),
            "ended_on": YESTERDAY.isoformat(),
            "version": stay.version,
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.left_protected_housing_on == YESTERDAY


def test_an_overlapping_stay_gets_a_message_next_to_the_field(cast, case):
    ProtectedHousingStay.objects.create(
        case=case, provider="A", started_on=TODAY - datetime.timedelta(days=50)
    )
    response = signed_in(cast.case_worker).post(
        url("case_add_stay", case),
        {"provider": "B", "started_on": YESTERDAY.isoformat(), "ended_on": ""},
    )
    assert response.status_code == 200
    assert "överlappar" in response.content.decode()
    assert ProtectedHousingStay.objects.count() == 1


def test_another_cases_stay_is_not_found_through_this_case(cast, case):
    other = case_with_team(cast.rinkeby, cast.other_district_worker)
    stay = ProtectedHousingStay.objects.create(case=other, provider="X", started_on=YESTERDAY)
    response = signed_in(cast.case_worker).get(url("case_edit_stay", case, stay.pk))
    assert response.status_code == 404


def risk_data(**overrides):
    data = {
        "instrument": RiskInstrument.PATRIARK,
        "instrument_other": "",
        "assessed_on": YESTERDAY.isoformat(),
        "next_review_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "scenario_1": "Hot från familjen vid kontakt",
        "level_1": RiskLevel.HIGH,
        "scenario_2": "Eftersök via sociala medier",
        "level_2": RiskLevel.MEDIUM,
    }
    return {**data, **overrides}


def test_the_worker_records_a_risk_assessment_with_a_level_per_scenario(cast, case):
    response = signed_in(cast.case_worker).post(url("case_add_risk_assessment", case), risk_data())
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(case=case)
    assert [(s.scenario, s.level) for s in assessment.scenarios.all()] == [
        ("Hot från familjen vid kontakt", RiskLevel.HIGH),
        ("Eftersök via sociala medier", RiskLevel.MEDIUM),
    ]
    assert assessment.highest_level == RiskLevel.HIGH


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"level_2": ""}, "Välj en risknivå för scenariot."),
        ({"scenario_1": "", "level_2": "", "scenario_2": "", "level_1": ""}, "minst ett scenario"),
        ({"scenario_2": ""}, "Beskriv scenariot som nivån gäller."),
        ({"instrument": RiskInstrument.OTHER}, "Ange vilket instrument"),
        ({"next_review_on": YESTERDAY.isoformat()}, "Omprövningen måste ligga efter"),
        ({"level_1": "extrem"}, "Välj låg, medel eller hög."),
        ({"assessed_on": "2999-01-01"}, "framtiden"),
    ],
)
def test_a_bad_risk_assessment_gets_a_swedish_message_and_saves_nothing(
    cast, case, overrides, message
):
    response = signed_in(cast.case_worker).post(
        url("case_add_risk_assessment", case), risk_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RiskAssessment.objects.exists()
    assert not RiskScenario.objects.exists()


def test_the_worker_records_an_outcome(cast, case):
    response = signed_in(cast.case_worker).post(
        url("case_add_outcome", case),
        {"kind": OutcomeKind.STARTED_STUDIES, "occurred_on": YESTERDAY.isoformat(), "note": "SFI"},
    )
    assert response.status_code == 302
    assert OutcomeEvent.objects.get(case=case).kind == OutcomeKind.STARTED_STUDIES


def test_an_outcome_in_the_future_is_refused(cast, case):
    response = signed_in(cast.case_worker).post(
        url("case_add_outcome", case),
        {"kind": OutcomeKind.STARTED_WORK, "occurred_on": "2999-01-01"},
    )
    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    assert not OutcomeEvent.objects.exists()


def add_history(case, n, start=None):
    start = start or TODAY - datetime.timedelta(days=300)
    for i in range(n):
        on = start + datetime.timedelta(days=20 * i)
        PhaseChange.objects.create(case=case, phase=Phase.MOVING_OUT, entered_on=on)
        ProtectedHousingStay.objects.create(
            case=case, provider=f"Boende {i}", started_on=on, ended_on=on + datetime.timedelta(5)
        )
        risk = RiskAssessment.objects.create(
            case=case, instrument=RiskInstrument.FREDA, assessed_on=on, next_review_on=on
        )
        risk.scenarios.create(scenario="Scenario", level=RiskLevel.LOW)
        risk.scenarios.create(scenario="Scenario 2", level=RiskLevel.HIGH)
        OutcomeEvent.objects.create(case=case, kind=OutcomeKind.RETURNED_TO_FAMILY, occurred_on=on)


def test_the_case_page_shows_the_history_with_relapses_marked(cast, case):
    add_history(case, 1)
    page = signed_in(cast.case_worker).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Ärendets historik" in page
    assert "Boende 0" in page
    assert "Återvänt till familjen" in page
    assert "Återfall" in page
    assert "Omprövning försenad" in page


def test_the_timeline_lists_everything_newest_first_with_relapses_marked(cast, case):
    add_history(case, 2)
    response = signed_in(cast.case_worker).get(url("case_timeline", case))
    entries = response.context["entries"]
    dates = [entry.on for entry in entries]
    assert dates == sorted(dates, reverse=True)
    assert {e.kind for e in entries} >= {"phase", "stay", "risk", "outcome"}
    assert all(e.is_relapse for e in entries if e.kind == "outcome")
    assert not any(e.is_relapse for e in entries if e.kind != "outcome")
    page = response.content.decode()
    assert '<ol class="timeline">' in page
    assert "<time datetime=" in page


def test_a_case_without_history_shows_its_opening_on_the_timeline(cast, case):
    entries = signed_in(cast.case_worker).get(url("case_timeline", case)).context["entries"]
    assert [(e.kind, e.on) for e in entries] == [("phase", case.opened_on)]


@pytest.mark.parametrize("name", ["case_detail", "case_timeline", "case_risk_assessments"])
def test_history_pages_run_the_same_number_of_queries_whatever_the_history(cast, case, name):
    client = signed_in(cast.case_worker)
    add_history(case, 1)
    client.get(reverse(name, args=[case.pk]))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(name, args=[case.pk]))
    add_history(case, 6, start=TODAY - datetime.timedelta(days=200))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(name, args=[case.pk]))
    assert len(large) == len(small)


def test_the_timeline_never_names_the_protected_housing_provider(cast):
    from brygga.cases.models import ProtectedHousingStay

    ProtectedHousingStay.objects.create(
        case=cast.case,
        provider="Fiktiva skyddade boendet Lönnen",
        started_on=cast.case.opened_on,
    )
    response = signed_in(cast.case_worker).get(reverse("case_timeline", args=[cast.case.pk]))
    assert response.status_code == 200
    assert "Lönnen" not in response.content.decode()


def test_housing_support_sees_the_stay_but_not_where_it_is(cast):
    from brygga.cases.models import ProtectedHousingStay

    ProtectedHousingStay.objects.create(
        case=cast.case,
        provider="Fiktiva skyddade boendet Lönnen",
        started_on=cast.case.opened_on,
    )
    case_page = reverse("case_detail", args=[cast.case.pk])
    assert "Lönnen" not in signed_in(cast.housing_support).get(case_page).content.decode()
    assert "Lönnen" in signed_in(cast.case_worker).get(case_page).content.decode()
