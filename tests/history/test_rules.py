"""Rules of the case history: relapse, phase changes, re-opened cases, leaving protected housing."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from brygga.access import policy
from brygga.cases import rules
from brygga.cases.models import (
    OutcomeEvent,
    OutcomeKind,
    Phase,
    PhaseChange,
    ProtectedHousingStay,
    RiskAssessment,
    RiskInstrument,
    RiskLevel,
)
from brygga.cases.rules import PhaseRuleError, check_phase_change
from brygga.history import services
from tests.factories import case_with_team

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


def request_by(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


# --- relapse -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [OutcomeKind.RETURNED_TO_FAMILY, OutcomeKind.NEW_PROTECTED_STAY])
def test_returning_to_the_family_or_a_new_protected_stay_is_a_relapse(kind):
    assert rules.is_relapse(kind)
    assert OutcomeEvent(kind=kind).is_relapse


@pytest.mark.parametrize(
    "kind",
    [
        OutcomeKind.NEW_VIOLENCE,
        OutcomeKind.OWN_TENANCY,
        OutcomeKind.STARTED_WORK,
        OutcomeKind.STARTED_STUDIES,
        OutcomeKind.LOST_CONTACT,
        OutcomeKind.MOVED_AWAY,
    ],
)
def test_other_outcomes_are_not_relapses(kind):
    assert not rules.is_relapse(kind)
    assert not OutcomeEvent(kind=kind).is_relapse


def test_an_unknown_kind_is_not_a_relapse():
    assert not rules.is_relapse("something_else")


# --- phase rules (pure) ------------------------------------------------------------------


OPENED = D(2026, 1, 1)


def check(current, new, on, opened_on=OPENED, latest=None):
    check_phase_change(
        current=current,
        new=new,
        on=on,
        opened_on=opened_on,
        latest_change_on=latest,
        today=TODAY,
    )


def test_a_case_may_move_on_to_the_next_phase():
    check(Phase.PROTECTED_HOUSING, Phase.MOVING_OUT, D(2026, 3, 1))


def test_a_case_may_move_back_to_protected_housing():
    check(Phase.ESTABLISHING, Phase.PROTECTED_HOUSING, D(2026, 3, 1))


def test_a_closed_case_may_be_reopened_into_any_open_phase():
    for phase in (Phase.PROTECTED_HOUSING, Phase.MOVING_OUT, Phase.ESTABLISHING, Phase.OWN_FEET):
        check(Phase.CLOSED, phase, D(2026, 5, 1), latest=D(2026, 4, 1))
        assert rules.is_reopening(Phase.CLOSED, phase)


def test_moving_between_open_phases_is_not_a_reopening():
    assert not rules.is_reopening(Phase.MOVING_OUT, Phase.ESTABLISHING)
    assert not rules.is_reopening(Phase.MOVING_OUT, Phase.CLOSED)


def test_the_same_phase_again_is_refused_with_a_swedish_message():
    with pytest.raises(PhaseRuleError, match="redan i fasen Utslussning"):
        check(Phase.MOVING_OUT, Phase.MOVING_OUT, D(2026, 3, 1))


def test_a_closed_case_cannot_be_closed_again():
    with pytest.raises(PhaseRuleError, match="redan i fasen Avslutat"):
        check(Phase.CLOSED, Phase.CLOSED, D(2026, 3, 1))


def test_a_phase_change_in_the_future_is_refused():
    with pytest.raises(PhaseRuleError, match="framtiden"):
        check(Phase.MOVING_OUT, Phase.ESTABLISHING, TODAY + datetime.timedelta(days=1))


def test_a_phase_change_today_is_allowed():
    check(Phase.MOVING_OUT, Phase.ESTABLISHING, TODAY)


def test_a_phase_change_before_the_case_was_opened_is_refused():
    with pytest.raises(PhaseRuleError, match="före att ärendet öppnades"):
        check(Phase.MOVING_OUT, Phase.ESTABLISHING, D(2025, 12, 31))


def test_a_phase_change_before_the_latest_change_is_refused():
    with pytest.raises(PhaseRuleError, match="före det senaste fasbytet"):
        check(Phase.MOVING_OUT, Phase.ESTABLISHING, D(2026, 2, 1), latest=D(2026, 2, 2))


def test_two_phase_changes_on_the_same_day_are_allowed():
    check(Phase.MOVING_OUT, Phase.ESTABLISHING, D(2026, 2, 2), latest=D(2026, 2, 2))


def test_an_unknown_phase_is_refused():
    with pytest.raises(PhaseRuleError, match="Välj en av faserna"):
        check(Phase.MOVING_OUT, "holiday", D(2026, 2, 2))


@given(
    current=st.sampled_from(Phase.values),
    new=st.sampled_from(Phase.values),
    on=st.dates(D(2025, 1, 1), D(2027, 1, 1)),
    latest=st.none() | st.dates(D(2025, 6, 1), D(2026, 6, 1)),
)
def test_a_phase_change_passes_exactly_when_every_rule_holds(current, new, on, latest):
    allowed = (
        new != current and on <= TODAY and on >= D(2026, 1, 1) and (latest is None or on >= latest)
    )
    try:
        check(current, new, on, latest=latest)
    except PhaseRuleError:
        assert not allowed
    else:
        assert allowed


# --- left protected housing (pure) --------------------------------------------------------


def test_no_stay_means_no_date_for_leaving_protected_housing():
    assert rules.left_protected_housing_on([]) is None


def test_the_end_of_the_latest_stay_is_the_day_the_person_left():
    stays = [(D(2026, 3, 1), D(2026, 4, 1)), (D(2025, 1, 1), D(2025, 6, 1))]
    assert rules.left_protected_housing_on(stays) == D(2026, 4, 1)


def test_an_ongoing_latest_stay_means_the_person_has_not_left():
    stays = [(D(2025, 1, 1), D(2025, 6, 1)), (D(2026, 3, 1), None)]
    assert rules.left_protected_housing_on(stays) is None


# --- services -----------------------------------------------------------------------------


@pytest.fixture
def case(cast):
    cast.case.opened_on = D(2026, 1, 10)
    cast.case.save(update_fields=["opened_on"])
    return cast.case


def test_a_phase_change_is_recorded_with_the_phase_the_case_had_since_it_opened(cast, case):
    services.change_phase(request_by(cast.case_worker), case, Phase.MOVING_OUT, D(2026, 2, 1))

    case.refresh_from_db()
    assert case.phase == Phase.MOVING_OUT
    assert list(case.phase_changes.values_list("phase", "entered_on")) == [
        (Phase.PROTECTED_HOUSING, D(2026, 1, 10)),
        (Phase.MOVING_OUT, D(2026, 2, 1)),
    ]


def test_closing_dates_the_closure_and_reopening_clears_it(cast, case):
    request = request_by(cast.case_worker)
    services.change_phase(request, case, Phase.CLOSED, D(2026, 3, 1))
    case.refresh_from_db()
    assert (case.phase, case.closed_on) == (Phase.CLOSED, D(2026, 3, 1))

    services.change_phase(request, case, Phase.PROTECTED_HOUSING, D(2026, 4, 1))

    case.refresh_from_db()
    assert (case.phase, case.closed_on) == (Phase.PROTECTED_HOUSING, None)
    assert [c.phase for c in case.phase_changes.all()] == [
        Phase.PROTECTED_HOUSING,
        Phase.CLOSED,
        Phase.PROTECTED_HOUSING,
    ]


def test_a_reopened_case_cannot_be_dated_before_its_closure(cast, case):
    request = request_by(cast.case_worker)
    services.change_phase(request, case, Phase.CLOSED, D(2026, 3, 1))

    with pytest.raises(PhaseRuleError):
        services.change_phase(request, case, Phase.ESTABLISHING, D(2026, 2, 28))

    case.refresh_from_db()
    assert case.phase == Phase.CLOSED
    assert case.phase_changes.count() == 2


def test_a_refused_phase_change_saves_nothing(cast, case):
    with pytest.raises(PhaseRuleError):
        services.change_phase(
            request_by(cast.case_worker), case, Phase.PROTECTED_HOUSING, D(2026, 2, 1)
        )
    assert not PhaseChange.objects.exists()
    case.refresh_from_db()
    assert case.version == 1


def test_a_phase_change_based_on_a_stale_phase_is_refused(cast, case):
    services.change_phase(request_by(cast.unit_manager), case, Phase.MOVING_OUT, D(2026, 2, 1))

    with pytest.raises(PhaseRuleError, match="Någon annan"):
        services.change_phase(
            request_by(cast.case_worker),
            case,
            Phase.ESTABLISHING,
            D(2026, 2, 2),
            expected_current=Phase.PROTECTED_HOUSING,
        )


def test_ending_a_stay_sets_the_day_the_person_left_protected_housing(cast, case):
    request = request_by(cast.case_worker)
    stay = services.add_stay(request, case, "Skyddat boende Ett", D(2026, 1, 10), None)
    case.refresh_from_db()
    assert case.left_protected_housing_on is None

    services.update_stay(
        request, stay, "Skyddat boende Ett", D(2026, 1, 10), D(2026, 3, 5), based_on_version=1
    )

    case.refresh_from_db()
    assert case.left_protected_housing_on == D(2026, 3, 5)


def test_a_new_stay_after_leaving_clears_the_date_until_it_ends(cast, case):
    request = request_by(cast.case_worker)
    services.add_stay(request, case, "Boende A", D(2026, 1, 10), D(2026, 2, 1))
    stay = services.add_stay(request, case, "Boende B", D(2026, 4, 1), None)
    case.refresh_from_db()
    assert case.left_protected_housing_on is None

    services.update_stay(
        request, stay, "Boende B", D(2026, 4, 1), D(2026, 5, 1), based_on_version=stay.version
    )

    case.refresh_from_db()
    assert case.left_protected_housing_on == D(2026, 5, 1)


def test_an_older_stay_added_later_does_not_move_the_date(cast, case):
    request = request_by(cast.case_worker)
    services.add_stay(request, case, "Boende B", D(2026, 4, 1), D(2026, 5, 1))
    services.add_stay(request, case, "Boende A", D(2025, 1, 1), D(2025, 2, 1))

    case.refresh_from_db()
    assert case.left_protected_housing_on == D(2026, 5, 1)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (D(2026, 2, 15), D(2026, 2, 20), "överlappar"),
        (D(2026, 1, 1), None, "överlappar"),
        (D(2026, 5, 1), D(2026, 4, 1), "före inflyttningen"),
        (TODAY + datetime.timedelta(days=1), None, "framtiden"),
    ],
)
def test_an_impossible_stay_is_refused_and_nothing_saved(cast, case, start, end, message):
    request = request_by(cast.case_worker)
    services.add_stay(request, case, "Boende A", D(2026, 2, 1), D(2026, 3, 1))

    with pytest.raises(services.StayRuleError, match=message):
        services.add_stay(request, case, "Boende B", start, end, today=TODAY)

    assert ProtectedHousingStay.objects.count() == 1
    case.refresh_from_db()
    assert case.left_protected_housing_on == D(2026, 3, 1)


# --- risk reviews due ----------------------------------------------------------------------


def assess(case, on, review):
    assessment = RiskAssessment.objects.create(
        case=case, instrument=RiskInstrument.PATRIARK, assessed_on=on, next_review_on=review
    )
    assessment.scenarios.create(scenario="Hot vid kontakt", level=RiskLevel.HIGH)
    return assessment


def test_a_review_is_due_from_its_date_on_the_latest_assessment_only(cast, case):
    assess(case, D(2026, 1, 15), D(2026, 3, 1))  # overdue but superseded
    latest = assess(case, D(2026, 3, 1), D(2026, 6, 15))
    visible = policy.visible_cases(cast.case_worker)

    assert list(rules.risk_reviews_due(visible, D(2026, 6, 14))) == []
    assert list(rules.risk_reviews_due(visible, D(2026, 6, 15))) == [latest]


def test_closed_cases_and_invisible_cases_have_no_reviews_due(cast, case):
    other = case_with_team(cast.rinkeby, cast.other_district_worker)
    assess(other, D(2026, 1, 15), D(2026, 2, 1))
    closed = case_with_team(cast.sodermalm, cast.case_worker, phase=Phase.CLOSED)
    assess(closed, D(2026, 1, 15), D(2026, 2, 1))
    mine = assess(case, D(2026, 1, 15), D(2026, 2, 1))

    due = rules.risk_reviews_due(policy.visible_cases(cast.case_worker), TODAY)

    assert list(due) == [mine]


def test_reviews_due_take_one_query_whatever_the_number_of_cases(cast, case):
    for _ in range(5):
        extra = case_with_team(cast.sodermalm, cast.case_worker)
        assess(extra, D(2026, 1, 15), D(2026, 2, 1))
        assess(extra, D(2026, 2, 15), D(2026, 3, 1))
    visible = policy.visible_cases(cast.case_worker)

    with CaptureQueriesContext(connection) as queries:
        due = [
            (r.case.person.last_name, r.next_review_on)
            for r in rules.risk_reviews_due(visible, TODAY)
        ]

    assert len(due) == 5
    assert len(queries) == 1
