"""The board report carries the city view's equal-access comparison, protected the same way."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from brygga.organisation.models import Role
from tests.conftest import signed_in
from tests.factories import staff_member
from tests.stats.test_report_views import fill

pytestmark = pytest.mark.django_db

TITLE = "Likställighet mellan stadsdelar"


@pytest.fixture
def statistician(cast):
    return staff_member(Role.STATISTICIAN, None, username="statistiker")


def row_of(report, administration):
    return next(r for r in report.equal_access if r[0] == administration.name)


def build(period_year: int | None = None, administration=None):
    from brygga.stats.periods import Period
    from brygga.stats.report import build_report

    today = timezone.localdate()
    return build_report(Period(period_year or today.year), administration, today)


def test_the_city_report_compares_the_districts_open_cases_counted_by_hand(cast):
    fill(cast.sodermalm, 12)  # and the cast's own open case: 13
    fill(cast.rinkeby, 6, start=12)

    report = build()

    assert report.equal_access[0][:2] == ["Stadsdel", "Öppna ärenden"]
    assert row_of(report, cast.sodermalm.administration)[1] == "13"
    assert row_of(report, cast.rinkeby.administration)[1] == "6"
    assert report.equal_access[-1][0] == "Stadens median"
    # Kontaktperson for 180 days in every case: 5 months, over at least five persons.
    assert row_of(report, cast.sodermalm.administration)[-1] == "5,0"


def test_a_district_under_five_is_shown_as_under_five_and_cannot_be_recomputed(cast):
    fill(cast.sodermalm, 12)  # 13 open cases
    fill(cast.rinkeby, 3, start=12)  # 3 open cases

    report = build()

    assert row_of(report, cast.rinkeby.administration)[1] == "<5"
    # The other district is withheld too, or 16 minus it would give the 3 away.
    assert row_of(report, cast.sodermalm.administration)[1] == "x"
    published = [cell for row in report.equal_access[1:] for cell in row[1:]]
    assert "<5" in published
    assert not any(cell.isdigit() and int(cell) < 5 for cell in published)
    assert "13" not in published and "16" not in published


def test_the_page_and_downloads_carry_the_comparison(cast, statistician):
    fill(cast.sodermalm, 12)
    fill(cast.rinkeby, 6, start=12)
    client = signed_in(statistician)
    query = {"year": timezone.localdate().year, "quarter": 0}

    page = client.get("/statistik/", query).content.decode()
    pdf = PdfReader(io.BytesIO(client.get("/statistik/rapport.pdf", query).content))
    book = load_workbook(io.BytesIO(client.get("/statistik/rapport.xlsx", query).content))
    rows = list(
        csv.reader(
            io.StringIO(client.get("/statistik/rapport.csv", query).content.decode()),
            delimiter=";",
        )
    )

    assert TITLE in page and "Stadens median" in page
    pdf_text = "".join(p.extract_text() for p in pdf.pages)
    assert TITLE in pdf_text and "Stadens median" in pdf_text
    # A numbered sheet like every table of the report, its title on the first row.
    [sheet] = [s for s in book.worksheets if s["A1"].value == TITLE]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [cast.sodermalm.administration.name, 13] == values[2][:2]
    at = rows.index([TITLE])
    assert rows[at + 1][:2] == ["Stadsdel", "Öppna ärenden"]
    assert [cast.rinkeby.administration.name, "6"] in [r[:2] for r in rows[at + 2 :]]


def test_a_district_report_and_a_past_period_explain_why_the_comparison_is_missing(cast):
    fill(cast.sodermalm, 12)
    last_year = timezone.localdate().year - 1

    district = build(administration=cast.sodermalm.administration)
    past = build(period_year=last_year)
    city = build()

    def texts(report):
        return next(s for s in report.sections if s.slug == "likstallighet").texts

    assert city.equal_access and "Stadsdelarna sida vid sida" in texts(city)[0]
    assert district.equal_access == [] and "gäller hela staden" in texts(district)[0]
    assert past.equal_access == [] and "period som pågår" in texts(past)[0]
