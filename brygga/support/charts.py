"""Small server-side SVG line charts of assessment levels (no script, no inline style).

Every coordinate is formatted here, in Python, as a plain string with a decimal point: SVG
attributes must never go through the template's number localisation (Swedish would write
`y1="78,0"`, which the browser rejects, and the chart would not draw).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 280, 118
LEFT, RIGHT, TOP, BOTTOM = 18, 10, 8, 22  # room for the level labels and the date axis


def svg_number(value: float) -> str:
    """A coordinate as SVG wants it: a point as decimal separator, never localised."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    level: int
    on: datetime.date


@dataclass(frozen=True)
class Gridline:
    level: int
    y: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    anchor: str
    on: datetime.date


@dataclass(frozen=True)
class LevelChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: str
    label_y: str
    worker_points: str
    person_points: str
    worker_dots: list[Dot]
    person_dots: list[Dot]
    gridlines: list[Gridline]
    dates: list[AxisLabel]


def _y(level: int) -> float:
    return HEIGHT - BOTTOM - (level - 1) * (HEIGHT - TOP - BOTTOM) / 4


def level_chart(
    points: Sequence[tuple[datetime.date, int, int | None]],
) -> LevelChart:
    """points: (date, worker level, person level or None), in date order."""
    if points:
        first, last = points[0][0], points[-1][0]
        span = max((last - first).days, 1)
    else:
        first = last = datetime.date(2000, 1, 1)
        span = 1
    plot_width = WIDTH - LEFT - RIGHT

    def x(on: datetime.date) -> float:
        if len(points) == 1:
            return LEFT + plot_width / 2
        return LEFT + (on - first).days * plot_width / span

    worker = [Dot(svg_number(x(on)), svg_number(_y(level)), level, on) for on, level, _ in points]
    person = [
        Dot(svg_number(x(on)), svg_number(_y(level)), level, on)
        for on, _, level in points
        if level is not None
    ]
    if len(points) == 1:
        dates = [AxisLabel(svg_number(x(first)), "middle", first)]
    elif points:
        dates = [
            AxisLabel(svg_number(LEFT), "start", first),
            AxisLabel(svg_number(WIDTH - RIGHT), "end", last),
        ]
    else:
        dates = []
    return LevelChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        axis_y=svg_number(HEIGHT - BOTTOM),
        label_y=svg_number(HEIGHT - 6),
        worker_points=" ".join(f"{d.x},{d.y}" for d in worker),
        person_points=" ".join(f"{d.x},{d.y}" for d in person),
        worker_dots=worker,
        person_dots=person,
        gridlines=[Gridline(level, svg_number(_y(level))) for level in range(1, 6)],
        dates=dates,
    )
