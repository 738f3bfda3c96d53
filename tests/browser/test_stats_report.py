"""The statistician's journey: choose a period, download the board report, read it back."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from brygga.organisation.models import Role
from tests.browser.conftest import axe_violations, browser_db, log_in_with_code
from tests.factories import staff_member
from tests.stats.test_report_views import fill

pytestmark = [pytest.mark.browser, browser_db]

SLOW = 90_000  # the report renders charts and a PDF; the shared test machine is slow


def _counts_on_table_lines(text: str, labels: set[str]) -> list[int]:
    """The whole numbers on the PDF's table rows (lines starting with a row label), leaving
    out shares ("35 %") and confidence intervals."""
    counts = []
    for line in text.splitlines():
        line = line.strip()
        label = next((lab for lab in labels if line.startswith(lab + " ")), None)
        if label is None:
            continue
        rest = re.sub(r"\d+ %|\([^)]*\)", " ", line[len(label) :])
        counts += [int(token) for token in rest.split() if token.isdigit()]
    return counts


def test_the_statistician_downloads_the_board_report_and_finds_no_count_under_five(page, cast):
    fill(cast.sodermalm, 16)
    statistician = staff_member(Role.STATISTICIAN, None, username="statistiker")
    log_in_with_code(page, statistician)
    page.set_default_timeout(SLOW)
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_label(re.compile(r"^År")).select_option(str(timezone.localdate().year))
    page.get_by_label("Del av året").select_option(label="Hela året")
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.get_by_role("heading", name="Jämställdhetsanalys")).to_be_visible()

    with page.expect_download(timeout=SLOW) as pdf_download:
        page.get_by_role("link", name="Ladda ner rapporten som PDF").click()
    with page.expect_download(timeout=SLOW) as xlsx_download:
        page.get_by_role("link", name="Ladda ner tabellerna som Excel (XLSX)").click()

    book = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))
    # Each sheet: a title row, a header row, then the table body.
    rows = [row for sheet in book.worksheets[1:] for row in sheet.iter_rows(values_only=True)]
    body = [r for sheet in book.worksheets[1:] for r in list(sheet.iter_rows(values_only=True))[2:]]
    cells = [c for row in rows for c in row if c is not None]
    counts = [c for c in cells if isinstance(c, int)]
    assert counts and min(counts) >= 5
    assert "<5" in cells
    pdf = PdfReader(pdf_download.value.path())
    text = "\n".join(p.extract_text(extraction_mode="layout") for p in pdf.pages)
    assert "Nämndrapport" in text and "Metod" in text and "<5" in text
    assert cast.case.person.full_name not in text
    labels = {row[0] for row in body if isinstance(row[0], str)}
    pdf_counts = _counts_on_table_lines(text, labels)
    assert pdf_counts and min(pdf_counts) >= 5


def test_the_report_page_passes_the_accessibility_check(axe_page, cast):
    fill(cast.sodermalm, 12)
    statistician = staff_member(Role.STATISTICIAN, None, username="statistiker")
    log_in_with_code(axe_page, statistician)
    axe_page.set_default_timeout(SLOW)
    axe_page.goto("/statistik/")

    expect(axe_page.get_by_role("heading", name="Statistik och nämndrapport")).to_be_visible()
    assert axe_violations(axe_page) == []
