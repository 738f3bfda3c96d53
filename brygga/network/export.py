"""The city view as rows of cells for CSV and XLSX: the published strings, never raw counts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from brygga.lib.spreadsheet import CsvWriter, append_row
from brygga.network.equality import COLUMNS, CityView


def headers(view: CityView) -> list[str]:
    labels = {
        "flats_per_1000": _("Tillfälliga bostäder per 1 000 ärenden"),
        "waiting": _("I kö"),
        "median_wait": _("Median väntetid (dagar)"),
        "short_share": _("Andel boendebeslut kortare än rekommenderat"),
        "gap_share": _("Andel ärenden med ansvarsglapp"),
        "on_time_share": _("Uppföljningar i tid"),
        "referred_share": _("Andel ärenden förmedlade till civilsamhället"),
    }
    periods = [
        _("Median beslutsperiod, %(type)s (månader)") % {"type": t} for t in view.period_types
    ]
    return [
        _("Stadsdel"),
        _("Öppna ärenden"),
        _("Lägenheter"),
        *[str(labels[c]) for c in COLUMNS],
        *periods,
    ]


def rows(view: CityView) -> list[list[str]]:
    body = [
        [
            r.name,
            r.open_cases.display,
            str(r.flats),
            *[r.figures[c].display for c in COLUMNS],
            *[r.periods[t].display for t in view.period_types],
        ]
        for r in view.rows
    ]
    median = [
        _("Stadens median"),
        "",
        "",
        *[view.medians[c].display for c in COLUMNS],
        *[view.period_medians[t].display for t in view.period_types],
    ]
    return [headers(view), *body, median]


def as_csv(table: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    CsvWriter(out, delimiter=";").writerows(table)
    return out.getvalue()


def as_xlsx(
    table: Sequence[Sequence[str]],
    title: str,
    more: Sequence[tuple[str, Sequence[Sequence[str]]]] = (),
) -> bytes:
    """The table on the first sheet; `more` adds (title, table) sheets after it."""
    book = Workbook()
    sheet: Any = book.active
    sheet.title = title[:31]
    for row in table:
        append_row(sheet, [str(cell) for cell in row])
    for more_title, more_table in more:
        extra: Any = book.create_sheet(more_title[:31])
        for row in more_table:
            append_row(extra, [str(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
