"""The rules of working with civil society, as plain functions (no database)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# What a partner may do next, from each status. Declined, completed and ended early are final.
PARTNER_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "sent": ("accepted", "declined"),
    "accepted": ("active", "ended_early"),
    "active": ("completed", "ended_early"),
    "declined": (),
    "completed": (),
    "ended_early": (),
}
OPEN_STATUSES = ("sent", "accepted", "active")
# A referral still waiting for an answer after this many days is flagged for the worker.
UNANSWERED_AFTER_DAYS = 14


def may_move(current: str, wanted: str) -> bool:
    return wanted in PARTNER_TRANSITIONS.get(current, ())


def consent_in_force(
    withdrawn: bool, valid_from: datetime.date, valid_to: datetime.date, today: datetime.date
) -> bool:
    return not withdrawn and valid_from <= today <= valid_to


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def leaked_protected_values(text: str, protected: Iterable[str]) -> bool:
    """Does `text` contain one of the person's protected values (address, phone, code word …)?

    Compared case- and space-insensitively, and phone-like values by their digits, so
    "070-123 45 67" is found in "ring 0701234567".
    """
    if not text:
        return False
    words, digits = _words(text), _digits(text)
    for value in protected:
        value = (value or "").strip()
        if len(value) < 3:
            continue
        for line in value.splitlines() or [value]:
            line = line.strip()
            if len(line) >= 3 and _words(line) in words:
                return True
        value_digits = _digits(value)
        if len(value_digits) >= 6 and value_digits in digits:
            return True
    return False


@dataclass(frozen=True)
class ReferralFact:
    referral_id: int
    case_id: int
    status: str
    sent_on: datetime.date


@dataclass(frozen=True)
class Unanswered:
    referral_id: int
    case_id: int
    since: datetime.date
    days: int


def unanswered_referrals(
    referrals: Iterable[ReferralFact],
    today: datetime.date,
    after_days: int = UNANSWERED_AFTER_DAYS,
) -> list[Unanswered]:
    """Referrals still 'sent' after `after_days` days: the worker should chase them."""
    found = []
    for r in referrals:
        waited = (today - r.sent_on).days
        if r.status == "sent" and waited >= after_days:
            found.append(Unanswered(r.referral_id, r.case_id, r.sent_on, waited))
    return found
