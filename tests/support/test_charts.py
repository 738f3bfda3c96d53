"""The level-over-time charts draw in every language: their numbers are never localised."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from brygga.support.charts import level_chart, svg_number
from tests.conftest import signed_in
from tests.support.conftest import assess, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NUMBER = re.compile(r"-?\d+(\.\d+)?")
NUMERIC_ATTRIBUTES = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "dy"}


class SvgNumbers(HTMLParser):
    """Collects the numeric attributes of the SVG elements of the level charts."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.values: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg" and ("class", "level-chart") in attrs:
            self.depth += 1
        if not self.depth:
            return
        for name, value in attrs:
            if name in NUMERIC_ATTRIBUTES and value is not None:
                self.values.append((tag, name, value))
            elif name in {"points", "viewbox"} and value:
                self.values.extend((tag, name, v) for v in re.split(r"[ ,]+", value.strip()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.depth:
            self.depth -= 1


def test_svg_numbers_use_a_decimal_point_in_swedish_too():
    with translation.override("sv"):
        assert svg_number(78.25) == "78.2"
        assert svg_number(12.0) == "12"


def test_the_charts_on_the_case_page_have_plain_numbers_under_swedish(cast):
    assess(cast.case, today() - 97 * DAY, housing=1, occupation=2)
    assess(cast.case, today() - 33 * DAY, housing=2, occupation=2)
    assess(cast.case, today(), housing=4, occupation=3)
    client = signed_in(cast.case_worker)
    response = client.get(reverse("case_detail", args=[cast.case.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    assert 'lang="sv"' in response.text
    parser = SvgNumbers()
    parser.feed(response.text)
    assert len(parser.values) > 40  # the charts are there, with grid, line and points
    not_numbers = [v for v in parser.values if not NUMBER.fullmatch(v[2])]
    assert not_numbers == []
    assert any("." in value for _, _, value in parser.values)  # decimals, written with a point


def test_a_chart_has_dates_on_its_axis_and_a_legend_readable_without_colour(cast):
    first, last = today() - 60 * DAY, today()
    assess(cast.case, first, housing=1)
    assess(cast.case, last, housing=3)
    response = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert f">{first.isoformat()}</text>" in response.text
    assert f">{last.isoformat()}</text>" in response.text
    assert "Handläggarens bedömning (heldragen linje, ring)" in response.text


def test_the_persons_own_levels_are_drawn_as_a_second_line():
    chart = level_chart([(today() - 30 * DAY, 2, 1), (today(), 3, 3)])
    assert len(chart.person_dots) == 2
    assert chart.person_points != chart.worker_points
    assert [d.level for d in chart.worker_dots] == [2, 3]


def test_the_assessment_scale_is_translated_in_the_english_ui(cast):
    client = signed_in(cast.case_worker)
    client.post("/sprak/", {"language": "en", "next": "/"})
    response = client.get(reverse("support:assessment_new", args=[cast.case.pk]))
    assert 'lang="en"' in response.text
    assert "1 – Acute need" in response.text
    assert "5 = Standing on their own" in response.text  # the help text under the levels
    assert "Akut behov" not in response.text
