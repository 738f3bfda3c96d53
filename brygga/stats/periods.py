"""Report periods: a calendar year or one of its quarters, never an arbitrary range.

Aligned periods are part of disclosure control (ADR 0070): a year is always published with its
quarters, a quarter with its months, from one protected table, so that the difference of two
periods a reader may request never reveals a hidden count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MONTH_NAMES = (
    gettext_noop("jan"), gettext_noop("feb"), gettext_noop("mar"), gettext_noop("apr"),
    gettext_noop("maj"), gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"),
    gettext_noop("sep"), gettext_noop("okt"), gettext_noop("nov"), gettext_noop("dec"),
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None  # 1–4, or None for the whole year

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ValueError("year out of range")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError("quarter out of range")

    @property
    def start(self) -> datetime.date:
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return datetime.date(self.year, month, 1)

    @property
    def end(self) -> datetime.date:
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return str(self.year)
        return _("%(year)s kvartal %(quarter)s") % {"year": self.year, "quarter": self.quarter}

    @property
    def slug(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}-q{self.quarter}"

    def parts(self) -> list[tuple[str, int]]:
        """The sub-periods shown as columns: (label, the month that starts each)."""
        if self.quarter is None:
            return [(_("kv %(quarter)s") % {"quarter": q}, 3 * (q - 1) + 1) for q in range(1, 5)]
        first = 3 * (self.quarter - 1) + 1
        return [(_(MONTH_NAMES[m - 1]), m) for m in range(first, first + 3)]

    def part_of(self, day: datetime.date) -> str:
        """The label of the sub-period a day falls in."""
        label = ""
        for name, month in self.parts():
            if day.month >= month:
                label = name
        return label

    def cut_off(self, today: datetime.date) -> datetime.date:
        """The day figures are counted at: the period's end, or today if it has not ended."""
        return min(self.end, today)
