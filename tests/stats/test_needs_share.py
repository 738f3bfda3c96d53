"""The board report's share of persons whose needs improved, computed by hand."""

from __future__ import annotations

import pytest
from django.utils import translation

from brygga.stats import report
from brygga.stats.disclosure import Publication

AREAS = ["Boende", "Sysselsättning", "Socialt nätverk"]
CHANGES = ["förbättrad", "oförändrad", "försämrad"]


def needs_section(counts):
    publication = Publication()
    handle = publication.add(
        "needs", rows=("area", AREAS), columns=("change", CHANGES), counts=counts
    )
    publication.protect()
    with translation.override("sv"):
        return report._needs(report.Table("Behov över tid", "Behovsområde", handle))


def test_the_share_improved_is_those_improved_over_those_followed_up_at_twelve_months():
    section = needs_section([[6, 9, 5], [10, 5, 5], [15, 5, 5]])

    assert section.extra_heading == ["Behovsområde", "Andel förbättrade"]
    # 6 of 20, 10 of 20 and 15 of 25 improved between the first assessment and 12 months.
    assert section.extra_rows == [
        ["Boende", "30 %"],
        ["Sysselsättning", "50 %"],
        ["Socialt nätverk", "60 %"],
    ]


@pytest.mark.parametrize("improved", [0, 1, 4])
def test_no_share_is_given_where_it_would_reveal_fewer_than_five_improved(improved):
    section = needs_section([[improved, 20, 20], [30, 20, 10], [40, 30, 30]])

    shown = dict(section.extra_rows)
    assert shown["Boende"] == "–"
    # The cell withheld beside it to protect the column total takes its share along.
    assert shown["Sysselsättning"] == "–"
    assert shown["Socialt nätverk"] == "40 %"  # 40 of 100
    rows = {row[0]: row for row in section.tables[0].as_rows()}
    assert rows["Boende"][1] == "<5" and rows["Sysselsättning"][1] == "x"
