"""A small server-side SVG bar chart of referrals sent per organisation.

A suppressed cell (under five) gets no bar at all, only the text "<5": a bar's length would
give the number away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from brygga.partners import rules

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 18, 6, 220, 260


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def sent_chart(rows: Sequence[Any]) -> BarChart:
    """rows: objects with `name` and `sent`. Organisations with no referrals are left out."""
    rows = [r for r in rows if r.sent]
    biggest = max((r.sent for r in rows if r.sent >= rules.SMALLEST_SHOWN), default=1)
    bars = []
    for i, row in enumerate(rows):
        suppressed = row.sent < rules.SMALLEST_SHOWN
        width = 0 if suppressed else max(2, round(row.sent * BAR_WIDTH / biggest))
        bars.append(Bar(row.name, rules.shown_count(row.sent), i * (BAR_HEIGHT + GAP), width))
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return BarChart(LABEL_WIDTH + BAR_WIDTH + 40, height, LABEL_WIDTH, bars)
