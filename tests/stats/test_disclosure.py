"""Disclosure control: small counts are withheld, and nothing withheld can be recomputed.

The property tests play the reader: from the published strings only (numbers, "<5", "x") they
look, for every withheld position, for another table that matches everything published but
holds a different value there. The solver only proposes such a table; plain Python then checks
it against the published figures, so the proof does not rest on the module's own audit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from brygga.stats.disclosure import (
    SMALL,
    WITHHELD,
    ProtectedTable,
    Publication,
    Status,
    protect_counts,
    protect_table,
    publishable,
    share,
)

# --- the reader -------------------------------------------------------------------------


def _grid(table: ProtectedTable) -> list[list[str]]:
    """The published table as strings, totals in the last row and column."""
    rows = [
        [*(c.display for c in row), rt.display]
        for row, rt in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([*(c.display for c in table.column_totals), table.total.display])
    return rows


def _consistent(grids: list[list[list[int]]]) -> bool:
    for g in grids:
        inner = [row[:-1] for row in g[:-1]]
        if any(sum(row) != g[i][-1] for i, row in enumerate(inner)):
            return False
        if any(sum(col) != g[-1][j] for j, col in enumerate(zip(*inner, strict=True))):
            return False
        if sum(g[i][-1] for i in range(len(inner))) != g[-1][-1]:
            return False
    return True


def _matches(published: list[list[list[str]]], grids: list[list[list[int]]]) -> bool:
    for shown, g in zip(published, grids, strict=True):
        for shown_row, row in zip(shown, g, strict=True):
            for s, v in zip(shown_row, row, strict=True):
                if s == SMALL and not 0 <= v < 5:
                    return False
                if s == WITHHELD and v < 5:
                    return False
                if s not in (SMALL, WITHHELD) and int(s) != v:
                    return False
    return True


def _alternative(published: list[list[list[str]]], shared_total: bool, target, direction, links=()):
    """Another set of tables matching what is published, with ``target`` moved up or down.
    ``links``: pairs of positions ``(t, i, j)`` the reader knows to be equal (a margin that
    two tables share)."""
    positions = [
        (t, i, j)
        for t, g in enumerate(published)
        for i, row in enumerate(g)
        for j, s in enumerate(row)
        if s in (SMALL, WITHHELD)
    ]
    if target not in positions:
        return None
    index = {p: n for n, p in enumerate(positions)}
    n = len(positions)

    def term(t, i, j, coef, row, known):
        s = published[t][i][j]
        if (t, i, j) in index:
            row[index[(t, i, j)]] += coef
            return known
        return known + coef * int(s)

    rows, rhs = [], []
    for t, g in enumerate(published):
        h, w = len(g), len(g[0])
        lines = [[(i, j) for j in range(w - 1)] + [(i, w - 1)] for i in range(h)]
        lines += [[(i, j) for i in range(h - 1)] + [(h - 1, j)] for j in range(w)]
        for line in lines:
            row, known = np.zeros(n), 0.0
            *parts, total = line
            for i, j in parts:
                known = term(t, i, j, 1.0, row, known)
            known = term(t, *total, -1.0, row, known)
            if row.any():
                rows.append(row)
                rhs.append(-known)
    if shared_total:
        for t in range(1, len(published)):
            row, known = np.zeros(n), 0.0
            known = term(0, len(published[0]) - 1, len(published[0][0]) - 1, 1.0, row, known)
            last = (len(published[t]) - 1, len(published[t][0]) - 1)
            known = term(t, *last, -1.0, row, known)
            if row.any():
                rows.append(row)
                rhs.append(-known)
    for a, b in links:
        row, known = np.zeros(n), 0.0
        known = term(*a, 1.0, row, known)
        known = term(*b, -1.0, row, known)
        if row.any():
            rows.append(row)
            rhs.append(-known)
    lower = np.array([0.0 if published[t][i][j] == SMALL else 5.0 for t, i, j in positions])
    upper = np.array([4.0 if published[t][i][j] == SMALL else 10_000.0 for t, i, j in positions])
    way, true_value = direction
    if way == "down":
        upper[index[target]] = min(upper[index[target]], true_value - 1)
    else:
        lower[index[target]] = max(lower[index[target]], true_value + 1)
    if lower[index[target]] > upper[index[target]]:
        return None
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    result = milp(
        np.zeros(n), constraints=constraints, integrality=np.ones(n), bounds=Bounds(lower, upper)
    )
    if result.status != 0:
        return None
    grids = [
        [[int(s) if s not in (SMALL, WITHHELD) else 0 for s in row] for row in g] for g in published
    ]
    for (t, i, j), v in zip(positions, np.round(result.x).astype(int), strict=True):
        grids[t][i][j] = int(v)
    return grids


def assert_nothing_withheld_can_be_recomputed(tables, truths, shared_total=False, links=()):
    published = [_grid(t) for t in tables]
    for t, (shown, truth) in enumerate(zip(published, truths, strict=True)):
        for i, row in enumerate(shown):
            for j, s in enumerate(row):
                if s not in (SMALL, WITHHELD):
                    continue
                found = [
                    _alternative(published, shared_total, (t, i, j), (d, truth[i][j]), links)
                    for d in ("down", "up")
                ]
                witnesses = [g for g in found if g is not None]
                assert witnesses, f"table {t} position {i},{j} ({truth[i][j]}) is recomputable"
                for g in witnesses:  # the solver only proposes; check by hand
                    assert _consistent(g) and _matches(published, g)
                    assert g[t][i][j] != truth[i][j]


def _with_totals(counts: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in counts]
    rows.append([sum(col) for col in zip(*rows, strict=True)])
    return rows


# --- worked examples --------------------------------------------------------------------


def test_a_small_count_is_shown_as_under_five_and_its_partners_are_withheld():
    table = protect_table([[3, 10], [9, 12]], rows=["Kista", "Skärholmen"], columns=["K", "M"])

    assert table.as_rows() == [
        ["", "K", "M", "Totalt"],
        ["Kista", SMALL, WITHHELD, "13"],
        ["Skärholmen", WITHHELD, WITHHELD, "21"],
        ["Totalt", "12", "22", "34"],
    ]


def test_a_table_with_no_small_count_is_published_whole():
    table = protect_table([[5, 10], [9, 12]], rows=["a", "b"], columns=["K", "M"])

    assert [c.display for c in table.all_cells()] == [
        "5",
        "10",
        "9",
        "12",
        "15",
        "21",
        "14",
        "22",
        "36",
    ]


def test_zero_is_withheld_like_any_small_count():
    table = protect_counts({"Kista": 0, "Spånga": 40, "Rinkeby": 12})

    assert table.cells[1][0].display in ("40", WITHHELD)
    assert table.cells[0][0].display == SMALL
    # With the total published, the zero needs a partner on its line.
    assert sum(1 for row in table.cells if not row[0].published) >= 2


def test_a_list_whose_only_other_cell_would_reveal_the_small_one_withholds_it():
    table = protect_counts({"kvinnor": 37, "män": 2})

    assert [row[0].display for row in table.cells] == [WITHHELD, SMALL]
    assert table.total.display == "39"


def test_a_total_of_a_small_group_is_itself_small():
    table = protect_table([[1, 2], [20, 30]], rows=["a", "b"], columns=["K", "M"])

    assert table.row_totals[0].display == SMALL
    assert table.cells[1][1].status is not Status.SMALL


def test_tables_sharing_a_margin_withhold_it_in_both():
    pub = Publication()
    districts = ["Kista", "Spånga"]
    by_gender = pub.add(
        "persons",
        rows=("district", districts),
        columns=("gender", ["K", "M"]),
        counts=[[2, 2], [30, 12]],
    )
    by_phase = pub.add(
        "persons",
        rows=("district", districts),
        columns=("phase", ["boende", "etablering"]),
        counts=[[3, 1], [20, 22]],
    )
    pub.protect()

    assert by_gender.result is not None and by_phase.result is not None
    assert by_gender.result.total.display == by_phase.result.total.display == "46"
    assert by_gender.result.row_totals[0].display == by_phase.result.row_totals[0].display
    assert_nothing_withheld_can_be_recomputed(
        [by_gender.result, by_phase.result],
        [_with_totals([[2, 2], [30, 12]]), _with_totals([[3, 1], [20, 22]])],
        shared_total=True,
    )


def test_two_tables_that_disagree_about_a_shared_total_are_refused():
    pub = Publication()
    pub.add("persons", rows=("district", ["a"]), columns=("gender", ["K"]), counts=[[7]])
    pub.add("persons", rows=("district", ["a"]), columns=("phase", ["x"]), counts=[[8]])

    with pytest.raises(ValueError, match="disagree"):
        pub.protect()


def test_quarters_and_their_year_in_one_table_keep_a_small_quarter_hidden():
    # Persons with a new case per quarter (columns) in two districts; the year is the total.
    table = protect_table([[6, 7, 2, 9], [12, 10, 11, 8]], rows=["a", "b"], columns=list("1234"))

    assert table.cells[0][2].display == SMALL
    assert table.row_totals[0].display == "24"
    assert_nothing_withheld_can_be_recomputed(
        [table], [_with_totals([[6, 7, 2, 9], [12, 10, 11, 8]])]
    )


def test_a_share_is_given_only_when_both_counts_are_published():
    table = protect_counts({"i tid": 18, "sent": 3})

    assert share(table.total, table.total) == 1.0
    assert share(table.cells[1][0], table.total) is None
    assert publishable(5) and not publishable(4)


def test_labels_must_match_the_counts():
    with pytest.raises(ValueError):
        protect_table([[1, 2]], rows=["a", "b"], columns=["x", "y"])
    with pytest.raises(ValueError):
        protect_table([[-1]], rows=["a"], columns=["x"])


# --- properties -------------------------------------------------------------------------

small_or_not = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def count_tables(draw):
    n_rows = draw(st.integers(1, 4))
    n_cols = draw(st.integers(1, 4))
    return [[draw(small_or_not) for _ in range(n_cols)] for _ in range(n_rows)]


@settings(max_examples=40, deadline=None)
@given(count_tables())
def test_every_small_count_is_hidden_and_every_published_count_is_true(counts):
    table = protect_table(
        counts,
        rows=[f"r{i}" for i in range(len(counts))],
        columns=[f"c{j}" for j in range(len(counts[0]))],
    )

    truth = _with_totals(counts)
    for shown_row, true_row in zip(_grid(table), truth, strict=True):
        for shown, true in zip(shown_row, true_row, strict=True):
            if true < 5:
                assert shown == SMALL
            else:
                assert shown in (str(true), WITHHELD)


@settings(max_examples=30, deadline=None)
@given(count_tables())
def test_no_withheld_count_can_be_recomputed_from_what_is_published(counts):
    table = protect_table(
        counts,
        rows=[f"r{i}" for i in range(len(counts))],
        columns=[f"c{j}" for j in range(len(counts[0]))],
    )

    assert_nothing_withheld_can_be_recomputed([table], [_with_totals(counts)])


@settings(max_examples=15, deadline=None)
@given(count_tables(), st.data())
def test_no_withheld_count_can_be_recomputed_across_two_tables_of_one_population(counts, data):
    # The same persons split two ways (e.g. by gender and by phase): the grand totals agree.
    grand = sum(map(sum, counts))
    other = [data.draw(st.integers(0, grand)) for _ in range(2)]
    other_counts = [[min(other), max(other) - min(other)], [0, grand - max(other)]]
    pub = Publication()
    first = pub.add(
        "persons",
        rows=("district", [f"r{i}" for i in range(len(counts))]),
        columns=("gender", [f"c{j}" for j in range(len(counts[0]))]),
        counts=counts,
    )
    second = pub.add(
        "persons", rows=("age", ["u", "v"]), columns=("phase", ["p", "q"]), counts=other_counts
    )
    pub.protect()

    assert first.result is not None and second.result is not None
    assert_nothing_withheld_can_be_recomputed(
        [first.result, second.result],
        [_with_totals(counts), _with_totals(other_counts)],
        shared_total=True,
    )
