"""Every CSV and XLSX export writes its cells through here, so no text opens as a formula.

A spreadsheet program runs a cell that starts with =, +, -, @, a tab or a carriage return as
a formula (CSV or formula injection): a partner's description "=HYPERLINK(…)" becomes a link
in the reader's Excel, or worse. Text is made inert, wherever it came from:

- CSV: such a text gets a leading apostrophe ("'=HYPERLINK(…)"), which every spreadsheet
  program shows as text. A text already starting with apostrophes before such a character
  gets one more, so `unguard` gives back exactly what was written (an import of our own
  export reads the same values).
- XLSX: a text cell is always stored as text, never as a formula (openpyxl would store a
  string starting with "=" as one), and one that starts like a formula is marked
  quote-prefixed, Excel's own "typed as text", so it shows as written and stays text when
  edited.

Numbers stay numbers: an int or float is written as a number, and a text that is a plain
decimal number ("12", "-3", "4,5") is no formula and is left as it is.

tests/lib/test_spreadsheet.py walks every export of the project and checks that none writes a
CSV or workbook except through this module.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def starts_like_a_formula(text: str) -> bool:
    """Whether a spreadsheet could read the text (its leading apostrophes aside) as a
    formula: it starts with a formula character and is not a plain number."""
    bare = text.lstrip("'")
    return bare[:1] in FORMULA_START and bare != "" and not _PLAIN_NUMBER.fullmatch(bare)


def guard(value: Any) -> str:
    """The value as an inert CSV text."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_a_formula(text) else text


def unguard(text: str) -> str:
    """What `guard` was given, from what it wrote (for reading our own CSV files back)."""
    if text.startswith("'") and starts_like_a_formula(text[1:]):
        return text[1:]
    return text


def _csv_cell(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return guard(value)


class CsvWriter:
    """`csv.writer` whose every cell is guarded."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([_csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):
    """`csv.DictWriter` whose every cell is guarded (the header too)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: _csv_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def xlsx_cell(sheet: Any, value: Any) -> Cell:
    """A cell for `sheet.append`: a number as a number, any other value as inert text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Cell(sheet, value=value)
    if value is None:
        return Cell(sheet, value=None)
    text = str(value)
    cell = Cell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if starts_like_a_formula(text):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append one row of cells to a worksheet, numbers as numbers and text as inert text."""
    sheet.append([xlsx_cell(sheet, value) for value in row])
