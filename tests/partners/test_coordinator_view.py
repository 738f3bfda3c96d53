"""The coordinator's view of referrals per organisation publishes only what stats.disclosure
allows: no count under five is shown, and none can be worked out from the others."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from brygga.partners.models import ReferralStatus
from brygga.partners.queries import ReferralCounts, coordinator_table
from brygga.stats.disclosure import SMALL, WITHHELD
from tests.conftest import signed_in
from tests.partners.conftest import DAY, consent, organisation, referral, today
from tests.stats.test_disclosure import _alternative, _consistent, _matches

URL = reverse("partners:statistics")


def published_grid(table):
    """The table as the page shows it: cells and "sent" per row, the totals row last."""
    rows = [[*r.cells, r.sent.display] for r in table.rows]
    return [*rows, [*table.totals, table.total]]


def assert_no_hidden_count_can_be_recomputed(table, truth):
    """Play the reader: for every "<5" and "x", find another table matching all that is
    published but holding a different value there (checked by hand, not by the module)."""
    published = [published_grid(table)]
    for i, row in enumerate(published[0]):
        for j, shown in enumerate(row):
            if shown not in (SMALL, WITHHELD):
                continue
            witnesses = [
                g
                for way in ("down", "up")
                if (g := _alternative(published, False, (0, i, j), (way, truth[i][j])))
            ]
            assert witnesses, f"position {i},{j} ({truth[i][j]}) can be recomputed"
            for g in witnesses:
                assert _consistent(g) and _matches(published, g) and g[0][i][j] != truth[i][j]


def with_totals(counts):
    rows = [[*row, sum(row)] for row in counts]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


def counted(*rows):
    return [ReferralCounts(i + 1, f"Förening {i + 1}", list(r)) for i, r in enumerate(rows)]


def test_sent_minus_accepted_no_longer_gives_the_declined_away():
    # Seven referrals to the mentors: six accepted, one declined. The old table showed
    # "sent 7, accepted 6, declined <5", and 7 − 6 = 1.
    table = coordinator_table(counted([0, 1, 6, 0], [5, 6, 8, 5]))

    assert table.columns == ["Väntar på svar", "Avböjda", "Accepterade", "Avbrutna i förtid"]
    assert published_grid(table) == [
        [SMALL, SMALL, "6", SMALL, "7"],
        [WITHHELD, WITHHELD, "8", WITHHELD, "24"],
        [WITHHELD, WITHHELD, "14", WITHHELD, "31"],
    ]
    assert_no_hidden_count_can_be_recomputed(table, with_totals([[0, 1, 6, 0], [5, 6, 8, 5]]))


def test_a_table_without_small_counts_is_shown_whole_and_zero_rows_are_named_apart():
    table = coordinator_table(counted([5, 6, 7, 8], [0, 0, 0, 0], [9, 5, 5, 6]))

    assert published_grid(table) == [
        ["5", "6", "7", "8", "26"],
        ["9", "5", "5", "6", "25"],
        ["14", "11", "12", "14", "51"],
    ]
    assert table.without == ["Förening 2"]
    assert [r.name for r in table.rows] == ["Förening 1", "Förening 3"]


def test_a_mean_wait_is_shown_only_over_five_referrals():
    few, enough = counted([5, 5, 5, 5], [5, 5, 5, 5])
    few.waits, enough.waits = [2, 4, 6, 8], [1, 2, 3, 4, 5]
    table = coordinator_table([few, enough])

    assert [r.days_to_contact for r in table.rows] == [None, 3.0]


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(
        st.lists(st.integers(0, 12), min_size=4, max_size=4).filter(any),
        min_size=1,
        max_size=4,
    )
)
def test_no_count_under_five_can_be_recovered_from_what_the_page_shows(counts):
    table = coordinator_table(counted(*counts))

    grid = published_grid(table)
    truth = with_totals(counts)
    for shown_row, true_row in zip(grid, truth, strict=True):
        for shown, value in zip(shown_row, true_row, strict=True):
            if value < 5:
                assert shown == SMALL  # every small count, zero included, is hidden
            else:
                assert shown in (str(value), WITHHELD)
    assert_no_hidden_count_can_be_recomputed(table, truth)


# --- The page.


def refer(partners, cast, org, n, status=ReferralStatus.SENT, days_ago=3):
    given = consent(cast.case, org, cast.case_worker)
    for _ in range(n):
        referral(
            cast.case, given, cast.case_worker, status=status, sent_on=today() - days_ago * DAY
        )


@pytest.mark.django_db
def test_the_coordinator_sees_the_protected_table_and_the_organisations_without_referrals(
    cast, partners
):
    # The fixture's one referral to the mentors is waiting; add five accepted, one declined.
    refer(partners, cast, partners.mentors, 5, ReferralStatus.ACCEPTED)
    refer(partners, cast, partners.mentors, 1, ReferralStatus.DECLINED)
    refer(partners, cast, partners.mentors, 3, ReferralStatus.ACCEPTED, days_ago=400)  # too old
    organisation("Tyst förening (fiktiv)")

    page = signed_in(partners.coordinator).get(URL).content.decode()

    mentors = re.search(r"Mentorer för kvinnor \(fiktiv\)</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", mentors)[:5] == ["&lt;5", "&lt;5", "5", "&lt;5", "7"]
    without = page.split("Organisationer utan förmedlingar")[1]
    assert "Tyst förening (fiktiv)" in without and "Språkcafé Söder (fiktiv)" in without
    assert "Mentorer för kvinnor" not in without
    assert cast.case.person.full_name not in page  # the first name alone may be a staff name
    # The small chart carries the same protected figures as the table.
    chart = re.search(r'<svg class="bar-chart".*?</svg>', page, re.S).group(0)
    assert "Skickade förmedlingar per organisation" in chart
    assert re.search(r'Mentorer för kvinnor \(fiktiv\)</text>.*?bar-chart__value">7<', chart, re.S)
    assert 'bar-chart__value">1<' not in chart and 'bar-chart__value">0<' not in chart


@pytest.mark.django_db
def test_the_page_runs_the_same_number_of_queries_however_many_organisations(
    cast, partners, django_assert_max_num_queries
):
    client = signed_in(partners.coordinator)
    client.get(URL)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for i in range(6):
        refer(partners, cast, organisation(f"Förening {i} (fiktiv)"), 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_a_case_worker_does_not_reach_the_coordinators_view(cast, partners):
    assert signed_in(cast.case_worker).get(URL).status_code == 404
    assert signed_in(partners.coordinator).get(URL).status_code == 200
