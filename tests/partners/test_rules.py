"""The partner rules as plain functions."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from brygga.partners import rules

D = datetime.date


def test_a_partner_accepts_or_declines_a_sent_referral_and_nothing_follows_a_decline():
    assert rules.may_move("sent", "accepted")
    assert rules.may_move("sent", "declined")
    assert not rules.may_move("sent", "completed")
    assert not rules.may_move("declined", "accepted")
    assert rules.may_move("active", "ended_early")


def test_consent_is_in_force_only_between_its_dates_and_never_after_withdrawal():
    assert rules.consent_in_force(False, D(2026, 1, 1), D(2026, 6, 30), D(2026, 3, 1))
    assert not rules.consent_in_force(True, D(2026, 1, 1), D(2026, 6, 30), D(2026, 3, 1))
    assert not rules.consent_in_force(False, D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 1))
    assert not rules.consent_in_force(False, D(2026, 1, 1), D(2026, 6, 30), D(2025, 12, 31))


def test_a_phone_number_is_found_whatever_its_spacing():
    assert rules.leaked_protected_values("ring 0701112233 efter fem", ["070-111 22 33"])
    assert rules.leaked_protected_values("Bor på HEMLIGA GATAN 7", ["Hemliga gatan 7"])
    assert not rules.leaked_protected_values("via socialsekreteraren", ["070-111 22 33"])


def test_each_relative_on_its_own_line_is_looked_for():
    assert rules.leaked_protected_values("Pappa Ahmed Testsson ringer", ["Ali X\nAhmed Testsson"])


@settings(max_examples=40)
@given(
    st.text(max_size=60),
    st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=3, max_size=30),
)
def test_a_text_that_quotes_a_protected_value_is_always_caught(prefix, secret):
    if len(" ".join(secret.split())) < 3:
        return
    assert rules.leaked_protected_values(prefix + " " + secret + " slut", [secret])


def test_a_referral_unanswered_for_two_weeks_is_flagged_and_an_answered_one_is_not():
    today = D(2026, 3, 15)
    facts = [
        rules.ReferralFact(1, 10, "sent", D(2026, 3, 1)),
        rules.ReferralFact(2, 10, "sent", D(2026, 3, 10)),
        rules.ReferralFact(3, 11, "accepted", D(2026, 1, 1)),
    ]
    found = rules.unanswered_referrals(facts, today)
    assert [(u.referral_id, u.days) for u in found] == [(1, 14)]
