"""The support model's rules at their edges: the day a period ends, partial months, ties,
input out of order, several decisions at once. Each test fails if a boundary moves by a day."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from brygga.support import rules
from brygga.support.areas import NEED_THRESHOLD
from brygga.support.rules import AssessmentFact, DecisionFact, InterventionFact, TaskFact

D = datetime.date
TODAY = D(2026, 6, 1)
DAY = datetime.timedelta(days=1)


# --- months and periods ---


def test_a_period_from_the_15th_counts_only_whole_months():
    # 15 Jan–13 Jul is five whole months and 29 days; 15 Jan–14 Jul is six whole months.
    assert rules.months_between(D(2026, 1, 15), D(2026, 7, 13)) == 5
    assert rules.months_between(D(2026, 1, 15), D(2026, 7, 14)) == 6


def test_a_six_month_minimum_asks_for_a_reason_one_day_short_of_six_months():
    assert rules.is_short_period(D(2026, 1, 15), D(2026, 7, 13), 6)
    assert not rules.is_short_period(D(2026, 1, 15), D(2026, 7, 14), 6)


def test_a_period_across_new_year_counts_its_months():
    assert rules.months_between(D(2025, 11, 1), D(2026, 2, 28)) == 4
    assert rules.add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert rules.add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
)
def test_a_default_period_is_exactly_its_months_long(start, months):
    end = rules.default_period_end(start, months)
    assert rules.months_between(start, end) == months
    # One day less is no longer the full period.
    assert rules.months_between(start, end - DAY) == months - 1


def test_a_period_without_an_end_is_never_short():
    assert not rules.is_short_period(D(2026, 1, 1), None, 6)
    assert rules.is_short_period(D(2026, 1, 1), D(2026, 1, 31), 6)


# --- the follow-up schedule ---


def test_a_municipality_schedule_is_sorted_without_duplicates_or_non_positive_months():
    assert rules.follow_up_months([12, 3, 3, 0, -1]) == [3, 12]


def test_an_empty_municipality_schedule_falls_back_to_the_default(settings):
    settings.FOLLOW_UP_MONTHS = None
    assert rules.follow_up_months([]) == [1, 3, 6, 12, 18, 24]


def test_the_schedule_is_in_date_order_whatever_order_the_months_come_in():
    left = D(2026, 1, 31)
    assert rules.follow_up_schedule(left, [6, 1, 6]) == [(1, D(2026, 2, 28)), (6, D(2026, 7, 31))]


# --- delegation ---


def test_a_decision_that_does_not_change_the_status_needs_nobody():
    assert not rules.needs_manager_decision(True, "granted", "granted", user_is_manager=False)
    assert not rules.needs_manager_decision(True, "refused", "refused", user_is_manager=False)
    assert rules.needs_manager_decision(True, "granted", "refused", user_is_manager=False)


def test_planning_applying_or_ending_is_within_every_workers_delegation():
    for wanted in ("planned", "applied", "ended"):
        assert not rules.needs_manager_decision(True, "granted", wanted, user_is_manager=False)
    assert rules.needs_manager_decision(True, "applied", "active", user_is_manager=False)
    assert not rules.needs_manager_decision(True, "active", "active", user_is_manager=False)


# --- latest levels and gaps ---


def test_the_latest_level_wins_whatever_order_the_assessments_come_in():
    facts = [
        AssessmentFact("housing", D(2026, 5, 1), 4),
        AssessmentFact("housing", D(2026, 1, 1), 1),
        AssessmentFact("social", D(2026, 1, 1), 2),
        AssessmentFact("social", D(2026, 3, 1), 5),
    ]
    assert rules.latest_levels(facts) == {"housing": 4, "social": 5}
    assert rules.latest_levels(reversed(facts)) == {"housing": 4, "social": 5}


def test_on_the_same_day_the_later_round_wins_and_an_earlier_one_does_not():
    later = AssessmentFact("housing", D(2026, 5, 1), 4, round_id=2)
    earlier = AssessmentFact("housing", D(2026, 5, 1), 1, round_id=1)
    assert rules.latest_levels([later, earlier]) == {"housing": 4}
    assert rules.latest_levels([earlier, later]) == {"housing": 4}


def test_the_need_threshold_itself_is_a_need_and_the_level_above_is_not():
    latest = {"housing": NEED_THRESHOLD, "social": NEED_THRESHOLD + 1, "occupation": 5}
    assert rules.responsibility_gaps(
        phase="establishing", latest=latest, interventions=(), tasks=(), today=TODAY
    ) == ["housing"]


def test_a_decision_carries_its_area_through_its_last_day_and_not_after():
    on_last_day = InterventionFact("housing", "granted", period_end=TODAY)
    ended_yesterday = InterventionFact("housing", "granted", period_end=TODAY - DAY)
    open_ended = InterventionFact("housing", "active", period_end=None)
    assert rules.intervention_carries(on_last_day, TODAY)
    assert rules.intervention_carries(open_ended, TODAY)
    assert not rules.intervention_carries(ended_yesterday, TODAY)


def test_an_owned_open_task_carries_only_its_own_area():
    tasks = [TaskFact("social", has_owner=True, done=False)]
    latest = {"housing": 2, "social": 2, "occupation": 5}
    assert rules.responsibility_gaps(
        phase="establishing", latest=latest, interventions=(), tasks=tasks, today=TODAY
    ) == ["housing"]


# --- ending soon ---


def test_a_decision_ending_today_is_ending_soon_and_one_that_ended_yesterday_is_not():
    assert rules.is_ending_soon("active", TODAY, TODAY)
    assert not rules.is_ending_soon("active", TODAY - DAY, TODAY)
    assert not rules.is_ending_soon("active", None, TODAY)


def test_ending_soon_counts_the_days_it_is_given():
    assert rules.is_ending_soon("granted", TODAY + 10 * DAY, TODAY, days=10)
    assert not rules.is_ending_soon("granted", TODAY + 11 * DAY, TODAY, days=10)


# --- decisions without a follow-on ---


LAST_YEAR = D(2025, 7, 1)


def decision(pk, type_id=1, status="granted", start=LAST_YEAR, end=TODAY, **kw):
    return DecisionFact(pk, type_id, status, start, end, **kw)


def test_every_decision_without_a_follow_on_is_flagged_not_only_the_first():
    housing = decision(1, type_id=1)
    occupation = decision(2, type_id=2)
    assert rules.decisions_without_follow_on([housing, occupation], TODAY) == [1, 2]


def test_a_decision_marked_final_does_not_hide_the_next_one():
    final = decision(1, type_id=1, no_follow_on_needed=True)
    open_end = decision(2, type_id=2)
    far_off = decision(3, type_id=3, end=TODAY + 200 * DAY)
    assert rules.decisions_without_follow_on([final, far_off, open_end], TODAY) == [2]


def test_a_decision_ending_on_the_horizon_is_flagged_and_one_a_day_later_is_not():
    on_horizon = decision(1, type_id=1, end=TODAY + 30 * DAY)
    after = decision(2, type_id=2, end=TODAY + 31 * DAY)
    assert rules.decisions_without_follow_on([on_horizon, after], TODAY) == [1]


def test_a_planned_decision_or_one_without_an_end_is_never_flagged():
    planned = decision(1, type_id=1, status="planned")
    endless = decision(2, type_id=2, end=None)
    carried = decision(3, type_id=3)
    assert rules.decisions_without_follow_on([planned, endless, carried], TODAY) == [3]


def test_an_earlier_decision_of_the_same_type_is_no_follow_on():
    current = decision(2, start=D(2026, 1, 1))
    earlier = decision(1, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert 2 in rules.decisions_without_follow_on([earlier, current], TODAY)


def test_an_undated_decision_of_the_same_type_counts_as_the_follow_on():
    current = decision(1)
    undated = decision(2, status="planned", start=None, end=None)
    assert rules.decisions_without_follow_on([current, undated], TODAY) == []
    # and a decision without a start date is followed on by any later one of its type
    undated_current = decision(3, start=None)
    applied = decision(4, status="applied", start=D(2026, 7, 1), end=None)
    assert rules.decisions_without_follow_on([undated_current, applied], TODAY) == []


def test_two_decisions_of_a_type_starting_the_same_day_do_not_follow_each_other_on():
    first = decision(1, start=D(2026, 1, 1))
    parallel = decision(2, start=D(2026, 1, 1))
    assert rules.decisions_without_follow_on([first, parallel], TODAY) == [1, 2]


def test_an_exit_day_that_is_not_a_date_is_no_exit_day():
    from types import SimpleNamespace

    assert (
        rules.left_protected_housing_on(SimpleNamespace(left_protected_housing_on="2026-01-01"))
        is None
    )
    assert rules.left_protected_housing_on(SimpleNamespace()) is None
    left = SimpleNamespace(left_protected_housing_on=D(2026, 1, 1))
    assert rules.left_protected_housing_on(left) == D(2026, 1, 1)
