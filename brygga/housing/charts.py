"""Server-side SVG of occupancy per month: no script, no inline style.

Every coordinate is formatted here as a plain string, so a Swedish locale never turns
12.5 into "12,5" inside the SVG.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 320, 110, 16


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    title: str


@dataclass(frozen=True)
class OccupancyChart:
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[tuple[str, str]]  # (label, y)


def _num(value: float) -> str:
    return f"{value:.1f}"


def occupancy_chart(months: Sequence[tuple[datetime.date, float | None]]) -> OccupancyChart:
    """One bar per month: the share of flat-days occupied (0–1); a month without flats is empty."""
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(months), 1)
    bars = []
    for i, (month, share) in enumerate(months):
        if share is None:
            continue
        h = inner_h * share
        bars.append(
            Bar(
                x=_num(PAD + i * step + step * 0.15),
                y=_num(HEIGHT - PAD - h),
                width=_num(step * 0.7),
                height=_num(h),
                title=f"{month:%Y-%m}: {round(share * 100)} %",
            )
        )
    grid = [(f"{p} %", _num(HEIGHT - PAD - inner_h * p / 100)) for p in (0, 50, 100)]
    return OccupancyChart(width=WIDTH, height=HEIGHT, bars=bars, gridlines=grid)
