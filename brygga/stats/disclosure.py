"""Disclosure control: the one place that decides which counts Brygga may publish.

Every table, chart and export of aggregates goes through this module (ADR 0070).

Rules
-----
* **Primary suppression.** A count of fewer than ``THRESHOLD`` (5) persons, zero included, is
  withheld and shown as ``"<5"``. Zero is withheld too: a published zero next to a published
  total tells a reader that everyone in the row shares the other column's attribute.
* **Secondary suppression.** A reader who sees the row and column totals (margins), the other
  tables of the same publication, or a sum over periods can often recompute a withheld count
  by subtraction. So after primary suppression an *audit* computes, for every withheld count,
  the smallest and largest whole number consistent with everything published (including the
  knowledge that ``"<5"`` means 0–4 and ``"x"`` means 5 or more). While any withheld count is
  pinned to a single value, one more published count on the same line is withheld (the
  smallest, so as little as possible is lost). Counts withheld to protect another are shown as
  ``"x"``.

The audit solves linear programmes with SciPy (HiGHS), so the guarantee holds for any set of
additive tables, not only for the patterns a hand-written rule foresees.

API
---
``protect_table(counts, rows=..., columns=...)``
    A two-way table of counts (a list of rows). Returns a :class:`ProtectedTable` with the
    cells, the row and column totals and the grand total, each a :class:`Cell`.
``protect_counts({"label": n, ...})``
    A one-way list of counts with its total, e.g. persons per district.
``Publication``
    Several tables published together (same report, or periods next to each other). Tables
    that describe the same population under the same ``measure`` share their margins: a total
    withheld in one is withheld in every other, and the audit runs over all of them at once::

        pub = Publication()
        by_gender = pub.add("persons", rows=("district", districts), columns=("gender", genders),
                            counts=matrix)
        by_phase = pub.add("persons", rows=("district", districts), columns=("phase", phases),
                           counts=matrix2)
        pub.protect()
        by_gender.result.cells[0][1].display   # "<5", "x" or "12"

Cells of one table must be disjoint (each person counted in one cell) so that the totals are
the sums. Periods: put them in one table as a dimension (quarters as columns, the year as the
total) so that "year minus three quarters" cannot reveal the fourth.

``share(numerator, denominator)`` gives a proportion only when both counts are published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5
SMALL = "<5"
WITHHELD = "x"

# A cell's identity: the measure and the dimension values it is restricted to. A margin is a
# key with fewer dimensions, e.g. ("persons", {("district", "Kista")}) is Kista's row total.
Key = tuple[str, frozenset[tuple[str, str]]]


class Status(StrEnum):
    PUBLISHED = "published"
    SMALL = "small"  # primary: fewer than THRESHOLD persons
    WITHHELD = "withheld"  # secondary: hidden so that a small count cannot be recomputed


@dataclass(frozen=True)
class Cell:
    """One published position: its value only when ``status`` is PUBLISHED."""

    value: int | None
    status: Status

    @property
    def published(self) -> bool:
        return self.status is Status.PUBLISHED

    @property
    def display(self) -> str:
        if self.status is Status.SMALL:
            return SMALL
        if self.status is Status.WITHHELD:
            return WITHHELD
        return str(self.value)

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class ProtectedTable:
    """What may be published of one table: labels, cells, margins."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell

    def all_cells(self) -> Iterable[Cell]:
        for row in self.cells:
            yield from row
        yield from self.row_totals
        yield from self.column_totals
        yield self.total

    def as_rows(self, total_label: str = "Totalt") -> list[list[str]]:
        """The table as strings with a header row and totals, ready for CSV or XLSX."""
        header = ["", *self.column_labels, total_label]
        body = [
            [label, *(c.display for c in row), rt.display]
            for label, row, rt in zip(self.row_labels, self.cells, self.row_totals, strict=True)
        ]
        footer = [total_label, *(c.display for c in self.column_totals), self.total.display]
        return [header, *body, footer]


@dataclass
class TableHandle:
    """A table added to a :class:`Publication`; ``result`` is filled by ``protect()``."""

    measure: str
    row_dimension: str
    row_labels: tuple[str, ...]
    column_dimension: str
    column_labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    result: ProtectedTable | None = None

    def key(self, row: int | None, column: int | None) -> Key:
        parts = set()
        if row is not None:
            parts.add((self.row_dimension, self.row_labels[row]))
        if column is not None:
            parts.add((self.column_dimension, self.column_labels[column]))
        return (self.measure, frozenset(parts))


@dataclass
class Publication:
    """Tables published together; ``protect()`` suppresses over all of them at once."""

    threshold: int = THRESHOLD
    tables: list[TableHandle] = field(default_factory=list)

    def add(
        self,
        measure: str,
        *,
        rows: tuple[str, Sequence[str]],
        columns: tuple[str, Sequence[str]],
        counts: Sequence[Sequence[int]],
    ) -> TableHandle:
        row_dim, row_labels = rows
        col_dim, col_labels = columns
        matrix = tuple(tuple(int(v) for v in row) for row in counts)
        if row_dim == col_dim:
            raise ValueError("rows and columns need different dimensions")
        if len(matrix) != len(row_labels) or any(len(r) != len(col_labels) for r in matrix):
            raise ValueError("counts do not match the labels")
        if any(v < 0 for row in matrix for v in row):
            raise ValueError("counts cannot be negative")
        handle = TableHandle(
            measure, row_dim, tuple(row_labels), col_dim, tuple(col_labels), matrix
        )
        self.tables.append(handle)
        return handle

    def protect(self) -> None:
        values, lines = self._collect()
        # Measures never share a line: suppress each on its own (smaller programmes).
        hidden: dict[Key, Status] = {}
        for measure in sorted({k[0] for k in values}):
            own_values = {k: v for k, v in values.items() if k[0] == measure}
            own_lines = [line for line in lines if line[0][0] == measure]
            hidden.update(_suppress(own_values, own_lines, self.threshold))
        for table in self.tables:
            table.result = _render(table, values, hidden, self.threshold)

    def _collect(self) -> tuple[dict[Key, int], list[tuple[Key, list[Key]]]]:
        """All keys with their values, and the additive lines (total = sum of parts)."""
        values: dict[Key, int] = {}
        lines: list[tuple[Key, list[Key]]] = []

        def put(key: Key, value: int) -> None:
            if values.setdefault(key, value) != value:
                raise ValueError(f"two tables disagree about {key}: {values[key]} and {value}")

        for t in self.tables:
            n_rows, n_cols = len(t.row_labels), len(t.column_labels)
            for i in range(n_rows):
                for j in range(n_cols):
                    put(t.key(i, j), t.counts[i][j])
            for i in range(n_rows):
                put(t.key(i, None), sum(t.counts[i]))
                lines.append((t.key(i, None), [t.key(i, j) for j in range(n_cols)]))
            for j in range(n_cols):
                put(t.key(None, j), sum(t.counts[i][j] for i in range(n_rows)))
                lines.append((t.key(None, j), [t.key(i, j) for i in range(n_rows)]))
            put(t.key(None, None), sum(map(sum, t.counts)))
            lines.append((t.key(None, None), [t.key(i, None) for i in range(n_rows)]))
            lines.append((t.key(None, None), [t.key(None, j) for j in range(n_cols)]))
        return values, lines


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    measure: str = "count",
    threshold: int = THRESHOLD,
) -> ProtectedTable:
    """Protect one two-way table of counts (a list of rows) with its margins."""
    pub = Publication(threshold=threshold)
    handle = pub.add(measure, rows=("row", rows), columns=("column", columns), counts=counts)
    pub.protect()
    assert handle.result is not None
    return handle.result


def protect_counts(
    counts: Mapping[str, int], *, measure: str = "count", threshold: int = THRESHOLD
) -> ProtectedTable:
    """Protect a one-way list of counts and its total (a table with one column)."""
    table = protect_table(
        [[v] for v in counts.values()],
        rows=list(counts),
        columns=["antal"],
        measure=measure,
        threshold=threshold,
    )
    return table


def share(numerator: Cell, denominator: Cell) -> float | None:
    """A proportion, only when both counts are published and the denominator is not zero."""
    if not (numerator.published and denominator.published) or not denominator.value:
        return None
    assert numerator.value is not None
    return numerator.value / denominator.value


def publishable(persons: int, threshold: int = THRESHOLD) -> bool:
    """Whether a figure computed over ``persons`` persons (a median, a curve) may be shown."""
    return persons >= threshold


# --- suppression --------------------------------------------------------------------------


def _suppress(
    values: dict[Key, int], lines: list[tuple[Key, list[Key]]], threshold: int
) -> dict[Key, Status]:
    hidden: dict[Key, Status] = {k: Status.SMALL for k, v in values.items() if v < threshold}
    if not hidden:
        return hidden
    # Cheap first pass: no line may hold exactly one hidden position.
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            members = [total, *parts]
            n_hidden = sum(1 for k in members if k in hidden)
            if n_hidden == 1:
                pick = _cheapest(members, values, hidden)
                if pick is not None:
                    hidden[pick] = Status.WITHHELD
                    changed = True
    # The audit: withhold more until nothing hidden can be pinned to one value.
    while True:
        pinned = pinned_keys(values, lines, hidden, threshold)
        if not pinned:
            return hidden
        pick = _nearest_cheapest(pinned[0], values, lines, hidden)
        if pick is None:  # everything it touches is hidden already; nothing more to withhold
            return hidden
        hidden[pick] = Status.WITHHELD


def _cheapest(keys: Iterable[Key], values: dict[Key, int], hidden: dict[Key, Status]) -> Key | None:
    """The published key that costs least to withhold: the smallest, inner cells first."""
    open_keys = {k for k in keys if k not in hidden}
    if not open_keys:
        return None
    return min(open_keys, key=lambda k: (values[k], -len(k[1]), sorted(k[1])))


def _nearest_cheapest(
    start: Key,
    values: dict[Key, int],
    lines: list[tuple[Key, list[Key]]],
    hidden: dict[Key, Status],
) -> Key | None:
    """The cheapest published key on a line through ``start``; failing that, one line further
    out through hidden keys (the published figure that pins ``start`` may sit there)."""
    seen, frontier = {start}, [start]
    while frontier:
        touching = [k for total, parts in lines if seen & {total, *parts} for k in (total, *parts)]
        pick = _cheapest(touching, values, hidden)
        if pick is not None:
            return pick
        frontier = [k for k in touching if k in hidden and k not in seen]
        seen.update(frontier)
    return None


def pinned_keys(
    values: dict[Key, int],
    lines: list[tuple[Key, list[Key]]],
    hidden: Mapping[Key, Status],
    threshold: int = THRESHOLD,
) -> list[Key]:
    """The hidden keys whose value a reader can work out from what is published.

    A reader knows every published value, that each line adds up, that a "<5" lies in 0..4 and
    that an "x" is at least ``threshold``. Their feasible set is a polytope; a hidden key is
    pinned when it is constant on it. Two steps find all such keys at once: linear programmes
    find the bounds that can never be left (implicit equalities), then a null-space test finds
    the keys fixed by the equations together with those bounds. For one table the constraint
    matrix is totally unimodular, so the real and the whole-number answers agree.
    """
    unknowns = sorted(hidden, key=lambda k: (k[0], sorted(k[1])))
    if not unknowns:
        return []
    index = {k: i for i, k in enumerate(unknowns)}
    n = len(unknowns)
    rows, rhs = [], []
    for total, parts in lines:
        members = [(total, -1.0), *((p, 1.0) for p in parts)]
        if not any(k in index for k, _ in members):
            continue
        row = np.zeros(n)
        known = 0.0
        for k, sign in members:
            if k in index:
                row[index[k]] += sign
            else:
                known += sign * values[k]
        rows.append(row)
        rhs.append(-known)
    equalities = np.array(rows) if rows else np.zeros((0, n))
    lower = np.array([0.0 if hidden[k] is Status.SMALL else threshold for k in unknowns])
    upper = np.array([threshold - 1.0 if hidden[k] is Status.SMALL else np.inf for k in unknowns])
    tight = _implicit_bounds(equalities, np.array(rhs), lower, upper)
    fixed_rows = np.zeros((len(tight), n))
    for r, var in enumerate(tight):
        fixed_rows[r, var] = 1.0
    system = np.vstack([equalities, fixed_rows])
    return [unknowns[var] for var in _determined(system, n)]


def _implicit_bounds(
    a: np.ndarray, b: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> list[int]:
    """Variables held at one of their bounds at every feasible point."""
    n = len(lower)
    # Slack variables t, one per finite bound: x - t_lo >= lower, x + t_hi <= upper, 0 <= t <= 1.
    bounds = [(i, -1.0, lower[i]) for i in range(n)] + [
        (i, 1.0, upper[i]) for i in range(n) if np.isfinite(upper[i])
    ]
    m = len(bounds)
    a_ub, b_ub = np.zeros((m, n + m)), np.zeros(m)
    for j, (i, sign, bound) in enumerate(bounds):
        # lower: -x_i + t_j <= -lower;  upper: x_i + t_j <= upper
        a_ub[j, i], a_ub[j, n + j], b_ub[j] = sign, 1.0, sign * bound
    a_eq = np.hstack([a, np.zeros((len(a), m))]) if len(a) else None
    b_eq = b if len(a) else None
    var_bounds = [(None, None)] * n + [(0.0, 1.0)] * m
    open_bounds = set(range(m))
    while open_bounds:
        cost = np.zeros(n + m)
        for j in open_bounds:
            cost[n + j] = -1.0  # maximise the slack of the bounds not yet seen to be loose
        result = linprog(
            cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=var_bounds, method="highs"
        )
        if result.status != 0:
            raise RuntimeError("disclosure audit: the published figures are inconsistent")
        loose = {j for j in open_bounds if result.x[n + j] > 1e-7}
        if not loose:
            return sorted({bounds[j][0] for j in open_bounds})
        open_bounds -= loose
    return []


def _determined(system: np.ndarray, n: int) -> list[int]:
    """Indices of variables fixed by the linear equations ``system``: those with no component
    in its null space (found from the n × n Gram matrix, cheaper than an SVD of the system)."""
    if not len(system):
        return []
    eigenvalues, vectors = np.linalg.eigh(system.T @ system)
    tolerance = 1e-9 * max(1.0, float(eigenvalues.max()))
    null_space = vectors[:, eigenvalues <= tolerance]  # n × (n − rank)
    if null_space.shape[1] == 0:
        return list(range(n))
    return [k for k in range(n) if np.linalg.norm(null_space[k]) < 1e-6]


def _render(
    t: TableHandle, values: dict[Key, int], hidden: Mapping[Key, Status], threshold: int
) -> ProtectedTable:
    def cell(key: Key) -> Cell:
        status = hidden.get(key, Status.PUBLISHED)
        return Cell(values[key] if status is Status.PUBLISHED else None, status)

    n_rows, n_cols = len(t.row_labels), len(t.column_labels)
    return ProtectedTable(
        row_labels=t.row_labels,
        column_labels=t.column_labels,
        cells=tuple(tuple(cell(t.key(i, j)) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(cell(t.key(i, None)) for i in range(n_rows)),
        column_totals=tuple(cell(t.key(None, j)) for j in range(n_cols)),
        total=cell(t.key(None, None)),
    )
