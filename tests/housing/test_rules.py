"""The housing rules against hand-computed small data."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from brygga.housing.rules import (
    AllocationFact,
    FlatFact,
    Period,
    WaitFact,
    occupancy,
    overdue_waits,
    overlaps,
    status,
)

D = datetime.date


def test_a_stay_ending_the_day_the_next_begins_does_not_overlap():
    assert not overlaps(Period(D(2026, 1, 1), D(2026, 2, 1)), Period(D(2026, 2, 1), None))
    assert overlaps(Period(D(2026, 1, 1), D(2026, 2, 2)), Period(D(2026, 2, 1), None))


def test_an_open_allocation_overlaps_everything_after_its_start():
    assert overlaps(Period(D(2026, 1, 1)), Period(D(2030, 1, 1), D(2030, 2, 1)))
    assert not overlaps(Period(D(2026, 1, 1)), Period(D(2025, 1, 1), D(2026, 1, 1)))


def test_a_same_day_move_out_is_empty_and_overlaps_nothing():
    assert not overlaps(Period(D(2026, 1, 5), D(2026, 1, 5)), Period(D(2026, 1, 1), None))


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 1, 1))


@settings(max_examples=60)
@given(dates, st.integers(1, 400), dates, st.integers(1, 400))
def test_overlap_agrees_with_counting_shared_days(a, a_len, b, b_len):
    a_days = {a + datetime.timedelta(days=i) for i in range(a_len)}
    b_days = {b + datetime.timedelta(days=i) for i in range(b_len)}
    pa = Period(a, a + datetime.timedelta(days=a_len))
    pb = Period(b, b + datetime.timedelta(days=b_len))
    assert overlaps(pa, pb) == bool(a_days & b_days) == overlaps(pb, pa)


def test_status_is_held_before_blocked_before_free():
    assert status(blocked=True, held=True) == "held"
    assert status(blocked=True, held=False) == "blocked"
    assert status(blocked=False, held=False) == "free"


def test_occupancy_of_two_flats_in_january_by_hand():
    # Flat 1 all January (31 days); flat 2 from 11 January (21 days): 52 flat-days.
    flats = [FlatFact(1, D(2025, 6, 1)), FlatFact(2, D(2026, 1, 11))]
    allocations = [
        # 1–10 Jan on flat 1, moved out on the 11th: 10 days, a stay of 40 days in all.
        AllocationFact(1, D(2025, 12, 2), D(2026, 1, 11)),
        # From 21 Jan on flat 1, still there: 11 days.
        AllocationFact(1, D(2026, 1, 21), None),
        # 15–24 Jan on flat 2: 10 days, a stay of 10 days.
        AllocationFact(2, D(2026, 1, 15), D(2026, 1, 25)),
        # Another district's flat: not counted.
        AllocationFact(99, D(2026, 1, 1), None),
    ]
    result = occupancy(flats, allocations, D(2026, 1, 1), D(2026, 2, 1))
    assert result.flats == 2
    assert result.flat_days == 31 + 21
    assert result.occupied_days == 10 + 11 + 10
    assert result.share_occupied == 31 / 52
    assert result.moves_in == 2
    assert result.turnover == 1.0
    assert result.stays_ended == 2
    assert result.average_stay_days == (40 + 10) / 2


def test_occupancy_without_flats_has_no_share_rather_than_zero():
    result = occupancy([], [], D(2026, 1, 1), D(2026, 2, 1))
    assert result.share_occupied is None and result.turnover is None
    assert result.average_stay_days is None


def test_a_wait_longer_than_the_districts_norm_is_overdue():
    today = D(2026, 3, 1)
    waits = [
        WaitFact(case_id=1, district_id=10, kind="emergency", since=D(2026, 2, 1)),  # 28 days
        WaitFact(case_id=2, district_id=10, kind="emergency", since=D(2026, 2, 16)),  # 13 days
        WaitFact(case_id=3, district_id=20, kind="emergency", since=D(2026, 2, 1)),  # 28 days
        WaitFact(case_id=4, district_id=20, kind="transitional", since=D(2025, 12, 1)),  # 90 d
    ]
    norms = {(10, "emergency"): 14, (20, "emergency"): 30}
    overdue = overdue_waits(waits, norms, today)
    # District 20 has no transitional norm: the default of 60 days applies.
    assert [(w.case_id, days, norm) for w, days, norm in overdue] == [(1, 28, 14), (4, 90, 60)]
