"""A small server-side SVG bar chart of referrals sent per organisation.

The bars show the published row totals of the coordinator's table (stats.disclosure): a
withheld total ("<5" or "x") gets no bar at all, only its symbol, since a bar's length would
give the number away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from brygga.partners.queries import CoordinatorRow

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


def sent_chart(rows: Sequence[CoordinatorRow]) -> BarChart:
    """One bar per organisation in the table, from its published "sent" total."""
    biggest = max((r.sent.value or 0 for r in rows if r.sent.published), default=1) or 1
    bars = []
    for i, row in enumerate(rows):
        value = row.sent.value if row.sent.published else None
        width = 0 if value is None else max(2, round(value * BAR_WIDTH / biggest))
        bars.append(Bar(row.name, row.sent.display, i * (BAR_HEIGHT + GAP), width))
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return BarChart(LABEL_WIDTH + BAR_WIDTH + 40, height, LABEL_WIDTH, bars)
