"""The retention rules (gallring) as plain functions of dates and identity numbers.

Social-services records (SoL 12 kap. 1 §) are removed five years after the last entry in the
case, at the latest by the end of the following calendar year. Kept instead:
- records of people born on the 5th, 15th or 25th of a month (kept for research under the
  national decision, Socialstyrelsen's regulations); a samordningsnummer carries the birth day
  plus 60, so 65, 75 and 85 count as well;
- cases under a legal hold (a recorded decision with a reason and who decided), which is also
  how "other law requires it kept" is recorded (a dispute in court, the archive authority's
  decision, a request under the principle of public access being tried).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

RETENTION_YEARS = 5
RESEARCH_BIRTH_DAYS = frozenset({5, 15, 25})
SAMORDNINGSNUMMER_DAY_OFFSET = 60


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls on 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year that is not a leap year
        return day.replace(year=day.year + years, day=28)


def removable_from(last_entry: datetime.date) -> datetime.date:
    """The first day the case may be removed: five full years after the last entry."""
    return anniversary(last_entry, RETENTION_YEARS) + datetime.timedelta(days=1)


def remove_by(last_entry: datetime.date) -> datetime.date:
    """The last day by which the case must be removed: the end of the calendar year after the
    one in which the five years ran out."""
    return datetime.date(removable_from(last_entry).year + 1, 12, 31)


def birth_day_of_month(identity_digits: str | None) -> int | None:
    """The day of the month of birth from a personnummer or samordningsnummer (12 or 10
    digits), or None when there is no number or it cannot be read."""
    digits = "".join(ch for ch in (identity_digits or "") if ch.isdigit())
    if len(digits) not in (10, 12):
        return None
    day = int(digits[-6:-4])
    if day > SAMORDNINGSNUMMER_DAY_OFFSET:
        day -= SAMORDNINGSNUMMER_DAY_OFFSET
    return day if 1 <= day <= 31 else None


def kept_for_research(identity_digits: str | None) -> bool:
    """Born on the 5th, 15th or 25th: the records are kept for research, never removed.
    Without a readable number the birth day is unknown, and the general rule applies."""
    return birth_day_of_month(identity_digits) in RESEARCH_BIRTH_DAYS


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one case on one day."""

    remove: bool
    reason: str  # a short code: due, not_yet, research, legal_hold, open
    removable_from: datetime.date | None
    remove_by: datetime.date | None


def verdict(
    *,
    today: datetime.date,
    last_entry: datetime.date,
    is_open: bool,
    identity_digits: str | None,
    on_legal_hold: bool,
) -> Verdict:
    """Whether a case is removed today, and why (or why not)."""
    start, deadline = removable_from(last_entry), remove_by(last_entry)
    if kept_for_research(identity_digits):
        return Verdict(False, "research", None, None)
    if on_legal_hold:
        return Verdict(False, "legal_hold", start, deadline)
    if is_open:
        return Verdict(False, "open", start, deadline)
    if today < start:
        return Verdict(False, "not_yet", start, deadline)
    return Verdict(True, "due", start, deadline)
