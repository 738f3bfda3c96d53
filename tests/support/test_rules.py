"""The support model's rules, as pure functions."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from brygga.support import rules
from brygga.support.rules import AssessmentFact, DecisionFact, InterventionFact, TaskFact

D = datetime.date
TODAY = D(2026, 6, 1)


# The three core needs assessed as managing on their own: the tests of the assessed-area rule
# start from here, so that only the areas they name can be gaps.
MANAGING = {"housing": 5, "occupation": 5, "social": 5}


def gaps(latest, interventions=(), tasks=(), phase="establishing", *, baseline=MANAGING):
    return rules.responsibility_gaps(
        phase=phase,
        latest={**baseline, **latest},
        interventions=interventions,
        tasks=tasks,
        today=TODAY,
    )


# --- follow-up schedule ---


def test_there_is_no_follow_up_schedule_before_the_person_has_left_protected_housing():
    assert rules.follow_up_schedule(None, rules.DEFAULT_FOLLOW_UP_MONTHS) == []


def test_follow_ups_default_to_1_3_6_12_18_and_24_months_after_leaving():
    schedule = rules.follow_up_schedule(D(2026, 1, 15), rules.follow_up_months())
    assert schedule == [
        (1, D(2026, 2, 15)),
        (3, D(2026, 4, 15)),
        (6, D(2026, 7, 15)),
        (12, D(2027, 1, 15)),
        (18, D(2027, 7, 15)),
        (24, D(2028, 1, 15)),
    ]


def test_a_follow_up_from_the_31st_falls_on_the_last_day_of_a_shorter_month():
    assert rules.follow_up_schedule(D(2027, 1, 31), [1]) == [(1, D(2027, 2, 28))]


def test_a_municipality_schedule_replaces_the_default():
    assert rules.follow_up_months([12, 6, 6, 0]) == [6, 12]


def test_the_settings_schedule_is_used_when_the_municipality_has_none(settings):
    settings.FOLLOW_UP_MONTHS = [2, 4]
    assert rules.follow_up_months(None) == [2, 4]


def test_the_exit_date_is_read_from_the_case_when_it_is_kept_there():
    assert rules.left_protected_housing_on(SimpleNamespace(left_protected_housing_on=TODAY)) == (
        TODAY
    )
    assert rules.left_protected_housing_on(SimpleNamespace(left_protected_housing_on=None)) is None
    assert rules.left_protected_housing_on(SimpleNamespace()) is None


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 60))
def test_adding_months_lands_in_the_right_month_never_later_in_it(day, months):
    result = rules.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


# --- responsibility gaps ---


def test_an_area_at_level_3_with_nobody_responsible_is_a_gap():
    assert gaps({"housing": 3, "occupation": 4}) == ["housing"]


def test_only_the_latest_assessment_of_an_area_counts():
    latest = rules.latest_levels(
        [
            AssessmentFact("housing", D(2026, 1, 1), 1, round_id=1),
            AssessmentFact("housing", D(2026, 5, 1), 4, round_id=2),
            AssessmentFact("social", D(2026, 5, 1), 4, round_id=3),
            AssessmentFact("social", D(2026, 5, 1), 2, round_id=4),
        ]
    )
    assert latest == {"housing": 4, "social": 2}
    assert gaps(latest) == ["social"]


def test_gaps_show_even_before_the_person_has_left_protected_housing():
    assert gaps({"safety": 1}, phase="protected_housing") == ["safety"]


def test_a_closed_case_has_no_gaps():
    assert gaps({"housing": 1}, phase="closed") == []
    assert gaps({}, phase="closed", baseline={}) == []


def test_a_core_need_never_assessed_is_a_gap_from_the_day_the_case_opens():
    assert gaps({}, phase="protected_housing", baseline={}) == ["housing", "occupation", "social"]


def test_only_the_core_needs_count_when_never_assessed():
    assert gaps({"housing": 4, "occupation": 4, "social": 4}, baseline={}) == []
    assert "safety" not in gaps({}, baseline={})


def test_assessing_a_core_need_ends_its_unassessed_gap_and_its_level_decides():
    assert gaps({"housing": 4}, baseline={}) == ["occupation", "social"]
    assert gaps({"housing": 2}, baseline={}) == ["housing", "occupation", "social"]


def test_someone_carrying_an_unassessed_core_need_closes_its_gap():
    carried = [InterventionFact("housing", "active")]
    owned = [TaskFact("social", has_owner=True, done=False)]
    done = [TaskFact("occupation", has_owner=True, done=True)]
    assert gaps({}, interventions=carried, tasks=owned + done, baseline={}) == ["occupation"]


def test_the_unassessed_core_areas_are_those_missing_from_the_latest_levels():
    assert rules.unassessed_core_areas({"occupation": 1, "safety": 2}) == ["housing", "social"]
    assert rules.unassessed_core_areas(MANAGING) == []


def test_a_reopened_case_shows_its_gaps_again():
    assert gaps({"housing": 1}, phase="moving_out") == ["housing"]


def test_a_granted_or_active_intervention_carries_its_area():
    carried = [InterventionFact("housing", "granted"), InterventionFact("social", "active")]
    assert gaps({"housing": 2, "social": 2}, interventions=carried) == []


def test_a_refused_intervention_does_not_carry_its_area():
    assert gaps({"housing": 2}, interventions=[InterventionFact("housing", "refused")]) == [
        "housing"
    ]


def test_a_planned_or_applied_intervention_does_not_carry_its_area():
    planned = [InterventionFact("housing", "planned"), InterventionFact("housing", "applied")]
    assert gaps({"housing": 2}, interventions=planned) == ["housing"]


def test_a_granted_intervention_whose_period_ran_out_no_longer_carries_its_area():
    expired = [InterventionFact("housing", "granted", period_end=TODAY - datetime.timedelta(1))]
    assert gaps({"housing": 2}, interventions=expired) == ["housing"]


def test_an_intervention_in_another_area_does_not_help():
    assert gaps({"housing": 2}, interventions=[InterventionFact("social", "active")]) == ["housing"]


def test_an_open_task_owned_by_an_external_organisation_carries_its_area():
    assert gaps({"occupation": 2}, tasks=[TaskFact("occupation", True, False)]) == []


def test_a_task_without_an_owner_or_already_done_does_not_carry_its_area():
    tasks = [TaskFact("occupation", False, False), TaskFact("occupation", True, True)]
    assert gaps({"occupation": 2}, tasks=tasks) == ["occupation"]


# --- decision periods and delegation ---


def test_a_period_shorter_than_the_minimum_is_short():
    assert rules.is_short_period(D(2026, 1, 1), D(2026, 3, 31), 6)
    assert not rules.is_short_period(D(2026, 1, 1), D(2026, 6, 30), 6)
    assert not rules.is_short_period(None, D(2026, 6, 30), 6)


def test_the_default_period_ends_the_day_before_the_same_date_months_later():
    assert rules.default_period_end(D(2026, 1, 1), 12) == D(2026, 12, 31)
    assert rules.months_between(D(2026, 1, 1), D(2026, 12, 31)) == 12


def test_a_decision_outside_the_delegation_goes_to_the_manager():
    assert rules.needs_manager_decision(True, "applied", "granted", user_is_manager=False)
    assert rules.needs_manager_decision(True, "planned", "refused", user_is_manager=False)


def test_the_manager_may_decide_and_types_within_the_delegation_need_nobody():
    assert not rules.needs_manager_decision(True, "applied", "granted", user_is_manager=True)
    assert not rules.needs_manager_decision(False, "applied", "granted", user_is_manager=False)


def test_starting_an_intervention_already_granted_is_no_new_decision():
    assert not rules.needs_manager_decision(True, "granted", "active", user_is_manager=False)
    assert rules.needs_manager_decision(True, "planned", "active", user_is_manager=False)


def test_a_decision_ending_within_30_days_is_ending_soon():
    assert rules.is_ending_soon("granted", TODAY + datetime.timedelta(30), TODAY)
    assert not rules.is_ending_soon("granted", TODAY + datetime.timedelta(31), TODAY)
    assert not rules.is_ending_soon("refused", TODAY + datetime.timedelta(3), TODAY)


START, END = D(2025, 7, 1), D(2026, 6, 20)


def decision(pk, status="granted", start=START, end=END, **kw):
    return DecisionFact(pk, 1, status, start, end, **kw)


def test_a_decision_that_ends_with_no_follow_on_is_flagged():
    assert rules.decisions_without_follow_on([decision(1)], TODAY) == [1]
    assert rules.decisions_without_follow_on([decision(1, status="ended")], TODAY) == [1]


def test_a_later_decision_of_the_same_type_is_a_follow_on():
    later = decision(2, status="applied", start=D(2026, 6, 21), end=None)
    assert rules.decisions_without_follow_on([decision(1), later], TODAY) == []


def test_a_refused_follow_on_or_another_type_does_not_count():
    refused = decision(2, status="refused", start=D(2026, 6, 21))
    other = DecisionFact(3, 2, "granted", D(2026, 6, 21), D(2027, 6, 20))
    assert rules.decisions_without_follow_on([decision(1), refused, other], TODAY) == [1]


def test_a_decision_far_from_its_end_or_marked_as_final_is_not_flagged():
    assert rules.decisions_without_follow_on([decision(1, end=D(2026, 9, 1))], TODAY) == []
    assert rules.decisions_without_follow_on([decision(1, no_follow_on_needed=True)], TODAY) == []


def test_a_type_without_a_default_period_never_ends_before_it_starts():
    assert rules.default_period_end(D(2026, 1, 1), 0) == D(2026, 1, 1)
