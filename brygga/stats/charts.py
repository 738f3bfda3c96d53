"""Server-side SVG charts with matplotlib (no pyplot, no global state, no script in the SVG).

Only published figures are drawn: a withheld count has no bar, and its place carries the same
"<5" or "x" as the table. Numbers inside the SVG are never localised (a decimal point, always).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from brygga.stats.disclosure import Cell
from brygga.stats.survival import Curve

COLOURS = ("#1f4e79", "#b5562b", "#3b7a3b", "#6b4c9a", "#8a6d00", "#2f6f77")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    text = buffer.getvalue()
    start = text.find("<svg")
    svg = text[start:]
    # An accessible name for the whole drawing; the numbers are in the table beside it.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(title)}" ', 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _figure(width: float = 6.4, height: float = 3.2) -> Figure:
    figure = Figure(figsize=(width, height), dpi=72)
    figure.set_layout_engine("constrained")
    return figure


def bars(title: str, labels: Sequence[str], cells: Sequence[Cell], y_label: str) -> str:
    """A bar per label; withheld counts show their symbol instead of a bar."""
    figure = _figure()
    axes = figure.add_subplot()
    values = [c.value if c.published and c.value is not None else 0 for c in cells]
    positions = list(range(len(labels)))
    axes.bar(positions, values, color=COLOURS[0])
    top = max(values + [1])
    for x, cell in zip(positions, cells, strict=True):
        axes.text(
            x,
            (cell.value or 0) if cell.published else 0,
            cell.display,
            ha="center",
            va="bottom",
            fontsize=9,
        )
    axes.set_xticks(
        positions,
        labels=list(labels),
        rotation=30 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
        fontsize=8,
    )
    axes.set_ylim(0, top * 1.15)
    axes.set_ylabel(y_label)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, title)


def survival(
    title: str, curves: Sequence[Curve], sizes: Sequence[str], y_label: str, x_label: str
) -> str:
    """Kaplan–Meier steps with their 95 % bands, one line style per group (not colour only)."""
    figure = _figure(6.4, 3.6)
    axes = figure.add_subplot()
    for n, (curve, size) in enumerate(zip(curves, sizes, strict=True)):
        colour, style = COLOURS[n % len(COLOURS)], LINESTYLES[n % len(LINESTYLES)]
        months = [p.months for p in curve.points]
        # Drawn as the share who had the event (1 − S), as the board reads it.
        share = [1 - p.survival for p in curve.points]
        low = [1 - p.upper for p in curve.points]
        high = [1 - p.lower for p in curve.points]
        axes.step(
            months,
            share,
            where="post",
            color=colour,
            linestyle=style,
            label=f"{curve.label} (n = {size})",
        )
        axes.fill_between(months, low, high, step="post", color=colour, alpha=0.15)
    axes.set_ylim(0, 1)
    axes.set_xlim(left=0)
    axes.set_ylabel(y_label)
    axes.set_xlabel(x_label)
    axes.grid(axis="y", linewidth=0.4)
    axes.spines[["top", "right"]].set_visible(False)
    if curves:
        axes.legend(fontsize=8, frameon=False, loc="upper left")
    return _svg(figure, title)
