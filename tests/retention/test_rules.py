"""The retention rules at every boundary: the last day, leap years, research birth days."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brygga.retention.rules import (
    anniversary,
    birth_day_of_month,
    kept_for_research,
    removable_from,
    remove_by,
    verdict,
)

D = datetime.date


def test_a_case_may_go_the_day_after_five_full_years_and_not_a_day_before():
    assert removable_from(D(2020, 3, 15)) == D(2025, 3, 16)


def test_it_must_be_gone_by_the_end_of_the_following_calendar_year():
    assert remove_by(D(2020, 3, 15)) == D(2026, 12, 31)


def test_an_entry_on_new_years_eve_runs_into_the_next_year():
    # Five years end on 31 December 2025; the case may go from 1 January 2026.
    assert removable_from(D(2020, 12, 31)) == D(2026, 1, 1)
    assert remove_by(D(2020, 12, 31)) == D(2027, 12, 31)


def test_a_last_entry_on_29_february_counts_its_anniversary_on_28_february():
    assert anniversary(D(2024, 2, 29), 5) == D(2029, 2, 28)
    assert removable_from(D(2024, 2, 29)) == D(2029, 3, 1)
    # Into a leap year the day itself exists.
    assert anniversary(D(2020, 2, 29), 4) == D(2024, 2, 29)


def test_the_day_before_29_february_in_a_leap_year():
    assert removable_from(D(2023, 2, 28)) == D(2028, 2, 29)


LAST = D(2020, 3, 15)


def _verdict(today, last=LAST, **kwargs):
    facts = {"is_open": False, "identity_digits": "199001024567", "on_legal_hold": False}
    return verdict(today=today, last_entry=last, **{**facts, **kwargs})


def test_the_verdict_turns_on_the_first_removable_day():
    assert _verdict(D(2025, 3, 15)).reason == "not_yet"
    assert not _verdict(D(2025, 3, 15)).remove
    assert _verdict(D(2025, 3, 16)).remove
    assert _verdict(D(2025, 3, 16)).reason == "due"


@pytest.mark.parametrize("day", ["05", "15", "25"])
def test_people_born_on_the_5th_15th_or_25th_are_kept_for_research(day):
    digits = f"199003{day}1234"
    assert kept_for_research(digits)
    result = _verdict(D(2040, 1, 1), identity_digits=digits)
    assert not result.remove and result.reason == "research"


@pytest.mark.parametrize("day", ["04", "06", "14", "16", "24", "26", "30", "31", "01"])
def test_people_born_on_other_days_are_not(day):
    assert not kept_for_research(f"199003{day}1234")
    assert _verdict(D(2040, 1, 1), identity_digits=f"199003{day}1234").remove


@pytest.mark.parametrize(("day", "kept"), [("65", True), ("75", True), ("85", True), ("64", False),
                                          ("66", False), ("89", False), ("05", True)])  # fmt: skip
def test_a_samordningsnummer_carries_the_birth_day_plus_60(day, kept):
    assert kept_for_research(f"199003{day}1234") is kept


def test_a_ten_digit_number_reads_the_same_day():
    assert birth_day_of_month("9003251234") == 25
    assert birth_day_of_month("900385-1234") == 25


@pytest.mark.parametrize("digits", [None, "", "12345", "1990030012345", "199003001234"])
def test_without_a_readable_number_the_general_rule_applies(digits):
    assert not kept_for_research(digits)
    assert _verdict(D(2040, 1, 1), identity_digits=digits).remove


def test_a_samordningsnummer_for_29_february_is_day_89():
    assert birth_day_of_month("200002891234") == 29


def test_a_legal_hold_keeps_the_case_whatever_the_date():
    result = _verdict(D(2040, 1, 1), on_legal_hold=True)
    assert not result.remove and result.reason == "legal_hold"
    assert _verdict(D(2040, 1, 1)).remove  # the same case without the hold


def test_an_open_case_is_never_removed():
    result = _verdict(D(2040, 1, 1), is_open=True)
    assert not result.remove and result.reason == "open"


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9000, 12, 31)))
def test_for_any_last_entry_the_window_is_between_five_and_seven_years(last):
    start, deadline = removable_from(last), remove_by(last)
    assert start > anniversary(last, 5) - datetime.timedelta(days=1)
    assert start.year - last.year in (5, 6)
    assert deadline.year == start.year + 1 and (deadline.month, deadline.day) == (12, 31)
    assert not _verdict(start - datetime.timedelta(days=1), last=last).remove
    assert _verdict(start, last=last).remove
