"""Small server-side SVG line charts of assessment levels (no script, no inline style)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 240, 90, 12


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    level: int
    on: datetime.date


@dataclass(frozen=True)
class LevelChart:
    width: int
    height: int
    worker_points: str
    person_points: str
    worker_dots: list[Dot]
    gridlines: list[tuple[int, float]]


def _y(level: int) -> float:
    return round(HEIGHT - PAD - (level - 1) * (HEIGHT - 2 * PAD) / 4, 1)


def level_chart(
    points: Sequence[tuple[datetime.date, int, int | None]],
) -> LevelChart:
    """points: (date, worker level, person level or None), in date order."""
    if points:
        first, last = points[0][0], points[-1][0]
        span = max((last - first).days, 1)
    else:
        first, span = datetime.date(2000, 1, 1), 1

    def x(on: datetime.date) -> float:
        if len(points) == 1:
            return WIDTH / 2
        return round(PAD + (on - first).days * (WIDTH - 2 * PAD) / span, 1)

    dots = [Dot(x(on), _y(level), level, on) for on, level, _ in points]
    person = [(x(on), _y(level)) for on, _, level in points if level is not None]
    return LevelChart(
        width=WIDTH,
        height=HEIGHT,
        worker_points=" ".join(f"{d.x},{d.y}" for d in dots),
        person_points=" ".join(f"{px},{py}" for px, py in person),
        worker_dots=dots,
        gridlines=[(level, _y(level)) for level in range(1, 6)],
    )
