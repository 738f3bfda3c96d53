"""The city view's figures against hand-computed small data, and its disclosure control."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from brygga.network.equality import Decision, DistrictFacts, city_view
from tests.stats.test_disclosure import assert_nothing_withheld_can_be_recomputed

SHIS = "Genomgångsbostad (SHIS)"


def facts(name, open_, gap, flats, waiting, short, long_, due, on_time, months=(), referred=0):
    decisions = [Decision(SHIS, 3, True, True)] * short + [Decision(SHIS, 12, True, False)] * long_
    decisions += [Decision("Kontaktperson", m, False, False) for m in months]
    return DistrictFacts(
        name=name,
        open_cases=open_,
        gap_cases=gap,
        flats=flats,
        waiting_days=list(waiting),
        decisions=decisions,
        follow_ups_due=due,
        follow_ups_on_time=on_time,
        referred_cases=referred,
    )


A = facts(
    "A", 20, 5, 4, [10, 20, 30, 40, 50, 60], 5, 5, 12, 7, months=[6, 12, 12, 12, 24], referred=8
)
B = facts("B", 40, 10, 2, [1, 2, 3, 4, 100], 5, 10, 10, 5, referred=10)
C = facts("C", 10, 5, 0, [5, 5, 5, 5, 5], 5, 5, 10, 5, referred=5)
D = facts("D", 10, 5, 10, [7, 7, 7, 7, 7], 5, 5, 10, 5, referred=5)


def shown(view, district, key):
    row = next(r for r in view.rows if r.name == district)
    return row.figures[key].display


def test_each_figure_of_a_district_by_hand():
    view = city_view([A, B, C])
    assert shown(view, "A", "flats_per_1000") == "200.0"  # 4 flats / 20 cases × 1 000
    assert shown(view, "B", "flats_per_1000") == "50.0"
    assert shown(view, "A", "waiting") == "6"
    assert shown(view, "A", "median_wait") == "35"  # median of 10 … 60
    assert shown(view, "B", "median_wait") == "3"
    assert shown(view, "A", "short_share") == "50 %"  # 5 of 10 housing decisions
    assert shown(view, "B", "short_share") == "33 %"  # 5 of 15
    assert shown(view, "A", "gap_share") == "25 %"  # 5 of 20 open cases
    assert shown(view, "C", "gap_share") == "50 %"
    assert shown(view, "A", "on_time_share") == "58 %"  # 7 of 12 follow-ups
    assert shown(view, "A", "referred_share") == "40 %"  # 8 of 20 open cases referred
    assert shown(view, "B", "referred_share") == "25 %"  # 10 of 40
    assert shown(view, "C", "referred_share") == "50 %"  # 5 of 10
    row_a = view.rows[0]
    assert row_a.open_cases.display == "20" and row_a.flats == 4
    # Median decision period per type: 12 months over five contact-person decisions.
    assert row_a.periods["Kontaktperson"].display == "12"
    assert row_a.periods[SHIS].display == "7.5"  # five of 3 and five of 12 months
    # Fewer than five decisions of a type: no median.
    assert view.rows[1].periods["Kontaktperson"].display == "–"


def test_the_city_median_of_each_column():
    view = city_view([A, B, C])
    assert view.medians["flats_per_1000"].display == "50.0"  # of 200, 50, 0
    assert view.medians["gap_share"].display == "25 %"  # of 25 %, 25 %, 50 %
    assert view.medians["median_wait"].display == "5"  # of 35, 3, 5
    assert view.medians["referred_share"].display == "40 %"  # of 40 %, 25 %, 50 %


def test_the_two_districts_farthest_from_the_city_median_are_highlighted():
    view = city_view([A, B, C, D])
    # Flats per 1 000 cases: 200, 50, 0, 1 000; median 125: D and C lie farthest.
    marked = {r.name for r in view.rows if r.figures["flats_per_1000"].highlighted}
    assert marked == {"C", "D"}


def test_a_small_count_is_shown_as_under_five_and_its_share_is_withheld():
    small = facts("E", 20, 3, 1, [10, 20], 1, 9, 12, 7)
    view = city_view([A, B, small])
    row = view.rows[2]
    assert row.figures["gap_share"].display in ("<5", "x")
    assert row.figures["gap_share"].value is None
    assert row.figures["waiting"].display == "<5"
    assert row.figures["median_wait"].display == "<5"  # two persons
    assert row.figures["short_share"].display in ("<5", "x")
    assert row.figures["referred_share"].display in ("<5", "x")  # no referral at all: 0
    assert row.figures["referred_share"].value is None
    # The big district is unaffected where nothing about E can be deduced from it.
    assert shown(view, "A", "flats_per_1000") == "200.0"


def test_a_district_with_no_open_cases_has_no_rate():
    empty = facts("F", 0, 0, 3, [], 0, 0, 0, 0)
    view = city_view([A, B, C, empty])
    assert shown(view, "F", "flats_per_1000") == "<5"
    assert shown(view, "F", "median_wait") == "–"


counts = st.integers(0, 30)


@st.composite
def districts(draw):
    n = draw(st.integers(2, 5))
    result = []
    for i in range(n):
        open_ = draw(counts)
        due = draw(counts)
        result.append(
            facts(
                f"D{i}",
                open_,
                draw(st.integers(0, open_)),
                draw(st.integers(0, 6)),
                [1] * draw(st.integers(0, 12)),
                draw(st.integers(0, 12)),
                draw(st.integers(0, 12)),
                due,
                draw(st.integers(0, due)),
                referred=draw(st.integers(0, open_)),
            )
        )
    return result


def _truth(table_counts):
    rows = [[*row, sum(row)] for row in table_counts]
    rows.append([sum(col) for col in zip(*rows, strict=True)])
    return rows


@settings(max_examples=12, deadline=None)
@given(districts())
def test_no_withheld_count_of_the_city_view_can_be_recomputed_from_its_totals(facts_):
    view = city_view(facts_)
    truths = {
        "open_cases": [[f.gap_cases, f.open_cases - f.gap_cases] for f in facts_],
        "waiting": [[len(f.waiting_days)] for f in facts_],
    }
    for name, table_counts in truths.items():
        table = view.tables[name]
        assert_nothing_withheld_can_be_recomputed([table], [_truth(table_counts)])
    # Open cases by gap and by referral share their district totals: the reader knows that.
    referred = [[f.referred_cases, f.open_cases - f.referred_cases] for f in facts_]
    links = [((0, i, 2), (1, i, 2)) for i in range(len(facts_) + 1)]
    assert_nothing_withheld_can_be_recomputed(
        [view.tables["open_cases"], view.tables["referred"]],
        [_truth(truths["open_cases"]), _truth(referred)],
        links=links,
    )
    for f, row in zip(facts_, view.rows, strict=True):
        # Every small count stays hidden wherever the view shows it.
        if f.gap_cases < 5 or f.open_cases - f.gap_cases < 5:
            assert row.figures["gap_share"].value is None
        if len(f.waiting_days) < 5:
            assert row.figures["waiting"].display == "<5"
            assert row.figures["median_wait"].value is None
        if f.referred_cases < 5 or f.open_cases - f.referred_cases < 5:
            assert row.figures["referred_share"].value is None
        if f.open_cases < 5:
            assert row.open_cases.display == "<5"
            assert row.figures["flats_per_1000"].value is None
