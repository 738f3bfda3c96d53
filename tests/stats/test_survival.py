"""Kaplan–Meier curves against a worked example computed by hand, censoring included."""

from __future__ import annotations

import math

import pytest

from brygga.stats.survival import Observation, compare, kaplan_meier

# Twelve persons, time in days since leaving protected housing:
#   day  30: 2 relapse            day 120: 2 still followed (censored)
#   day  60: 1 lost to follow-up   day 150: 1 relapses
#   day  90: 1 relapses            day 200: 5 still followed (censored)
WORKED = [
    Observation(30, True, 2),
    Observation(60, False, 1),
    Observation(90, True, 1),
    Observation(120, False, 2),
    Observation(150, True, 1),
    Observation(200, False, 5),
]


def by_hand():
    s30 = 1 - 2 / 12  # 12 at risk, 2 events
    s90 = s30 * (1 - 1 / 9)  # 10 left, 1 censored at day 60: 9 at risk
    s150 = s90 * (1 - 1 / 6)  # 8 left, 2 censored at day 120: 6 at risk
    return s30, s90, s150


def test_the_curve_steps_down_at_each_relapse_as_computed_by_hand():
    curve = kaplan_meier(WORKED, "alla")

    s30, s90, s150 = by_hand()
    steps = [(p.at_risk, round(p.survival, 6)) for p in curve.points if p.months > 0]
    assert curve.at_start == 12 and curve.events == 4
    assert steps[0] == (12, round(s30, 6))
    assert (9, round(s90, 6)) in steps
    assert (6, round(s150, 6)) in steps
    assert math.isclose(s150, 0.617284, abs_tol=1e-6)


def test_the_confidence_band_is_greenwood_on_the_log_minus_log_scale():
    curve = kaplan_meier(WORKED, "alla")

    _, s90, _ = by_hand()
    greenwood = 2 / (12 * 10) + 1 / (9 * 8)
    spread = 1.959964 * math.sqrt(greenwood / math.log(s90) ** 2)
    centre = math.log(-math.log(s90))
    lower, upper = math.exp(-math.exp(centre - spread)), math.exp(-math.exp(centre + spread))
    point = next(p for p in curve.points if p.at_risk == 9)
    assert point.lower == pytest.approx(min(lower, upper), abs=1e-4)
    assert point.upper == pytest.approx(max(lower, upper), abs=1e-4)
    assert point.lower < point.survival < point.upper


def test_share_relapsed_at_six_months_is_one_minus_survival_and_later_horizons_are_withheld():
    curve = kaplan_meier(WORKED, "alla")

    six, twelve, twenty_four = curve.horizons
    assert six.months == 6
    assert six.share == pytest.approx(1 - by_hand()[2], abs=1e-6)
    # Nobody was followed for 12 months: no figure rather than a guess.
    assert twelve.share is None and twenty_four.share is None


def test_a_curve_with_fewer_than_ten_at_its_start_is_not_drawn():
    assert kaplan_meier([Observation(30, True, 4), Observation(90, False, 5)], "få") is None
    assert kaplan_meier([Observation(30, True, 5), Observation(90, False, 5)], "tio") is not None


def test_the_curve_stops_where_fewer_than_five_remain_at_risk():
    curve = kaplan_meier(
        [Observation(30, True, 6), Observation(60, False, 2), Observation(90, True, 3)], "kort"
    )

    assert curve.points[-1].at_risk >= 5
    assert all(p.months < 90 / 30.4 for p in curve.points)


def test_log_rank_says_in_plain_words_whether_groups_differ():
    same = compare(
        {
            "kvinnor": [Observation(30, True, 5), Observation(300, False, 10)],
            "män": [Observation(30, True, 5), Observation(300, False, 10)],
        }
    )
    different = compare(
        {
            "kvinnor": [Observation(30, True, 2), Observation(300, False, 28)],
            "män": [Observation(30, True, 20), Observation(300, False, 10)],
        }
    )

    assert same.p_value == pytest.approx(1.0)
    assert "kan vara en slump" in same.in_words
    assert different.p_value < 0.001
    assert "statistiskt säkerställd" in different.in_words and "p = < 0,001" in different.in_words


def test_log_rank_needs_two_drawn_groups():
    assert compare({"kvinnor": WORKED, "män": [Observation(30, True, 3)]}) is None


# Twenty persons followed for up to three years (a month here is 365.25 / 12 days):
#   month  3: 2 relapse            month 10: 3 relapse
#   month  8: 2 lost to follow-up  month 18: 2 relapse, then 11 still followed at month 36
MONTH = 365.25 / 12
LONG = [
    Observation(round(3 * MONTH), True, 2),
    Observation(round(8 * MONTH), False, 2),
    Observation(round(10 * MONTH), True, 3),
    Observation(round(18 * MONTH), True, 2),
    Observation(round(36 * MONTH), False, 11),
]


def test_shares_relapsed_within_six_twelve_and_twenty_four_months_are_computed_by_hand():
    curve = kaplan_meier(LONG, "alla")

    s3 = 1 - 2 / 20  # 20 at risk
    s10 = s3 * (1 - 3 / 16)  # 18 left, 2 censored at month 8: 16 at risk
    s18 = s10 * (1 - 2 / 13)  # 13 at risk
    six, twelve, twenty_four = curve.horizons
    assert (six.months, twelve.months, twenty_four.months) == (6, 12, 24)
    assert six.share == pytest.approx(1 - s3, abs=1e-6)  # 10 %
    assert twelve.share == pytest.approx(1 - s10, abs=1e-6)  # 26.9 %
    assert twenty_four.share == pytest.approx(1 - s18, abs=1e-6)  # 38.1 %
    for h in (six, twelve, twenty_four):
        assert h.lower < h.share < h.upper


def test_the_log_rank_p_value_matches_the_hand_computed_chi_square():
    # One relapse day: 20 at risk, 7 relapse, 10 of them in each group; 2 women, 5 men relapse.
    women = [Observation(30, True, 2), Observation(300, False, 8)]
    men = [Observation(30, True, 5), Observation(300, False, 5)]
    expected_women = 7 * 10 / 20
    variance = 10 * 10 * 7 * (20 - 7) / (20**2 * (20 - 1))
    chi_square = (2 - expected_women) ** 2 / variance  # 1.879
    p_by_hand = math.erfc(math.sqrt(chi_square / 2))  # chi-square with one degree of freedom

    result = compare({"kvinnor": women, "män": men})

    assert result.groups == 2
    assert result.p_value == pytest.approx(p_by_hand, abs=1e-9)
    assert result.p_value == pytest.approx(0.1704, abs=1e-4)
    assert "kan vara en slump" in result.in_words and "p = 0,170" in result.in_words
