"""The board report as PDF (WeasyPrint), XLSX (openpyxl) and CSV: only published strings.

Every cell written comes from `disclosure`: a count, "<5" or "x". Counts are written as numbers
in XLSX so they can be summed; the symbols stay text. Every cell goes through
`brygga.lib.spreadsheet`, so no text (a district's or an intervention type's name) can open as a
formula.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from brygga.lib.spreadsheet import CsvWriter, append_row
from brygga.stats.report import Report

SHEET_NAME_MAX = 31


def to_pdf(report: Report) -> bytes:
    html = render_to_string("stats/report_pdf.html", {"report": report})
    # The document needs nothing from outside: fetch no URL at all.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def _number_or_text(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def to_xlsx(report: Report) -> bytes:
    """A sheet about the report, then one sheet per table: its title, its heading, its rows.
    Cells go through `spreadsheet.append_row`: counts as numbers, every text inert."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _("Om rapporten")
    append_row(about, [_("Nämndrapport, Brygga")])
    append_row(about, [_("Period"), report.period.label])
    append_row(about, [_("Omfattning"), report.scope])
    append_row(about, [_("Räknat per"), report.cut_off.isoformat()])
    append_row(about, [_("<5 = färre än 5 personer; x = dolt för att skydda en annan uppgift.")])
    about["A1"].font = Font(bold=True)
    used: set[str] = set()
    for n, table in enumerate(report.exported_tables, start=1):
        name = f"{n} {table.title}"[:SHEET_NAME_MAX]
        while name in used:
            name = name[:-1]
        used.add(name)
        sheet = book.create_sheet(name)
        append_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        for row in table.as_rows():
            append_row(sheet, [row[0], *(_number_or_text(v) for v in row[1:])])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(report: Report) -> str:
    """All tables one after another: a title line, the table, an empty line."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";")
    writer.writerow([_("Nämndrapport, Brygga"), report.period.label, report.scope])
    for table in report.exported_tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerows(table.as_rows())
    return buffer.getvalue()
