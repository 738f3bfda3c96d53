"""The directory in the Open Referral HSDS 3.0 format: organization, service, service_area and
language, as JSON (one object with a list per table) or CSV (a zip of the four tables' files).

Mapping (ADR 0052): an organisation is an HSDS organization; each of its offers is a service
(named by the offer's kind, status from the organisation being active); each district it
serves is a service_area of every service (none: the whole city); each language it works in is
a language of every service. Ids are UUIDs derived from Brygga's keys, so an export is stable.

An import is parsed and checked whole before anything is saved: every row against the HSDS
schema (vendored in hsds_schema/) and against Brygga's rules; any bad row is reported with its
table, row number and a Swedish reason, and then nothing is saved.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from brygga.lib.spreadsheet import CsvDictWriter, unguard
from brygga.organisation.models import Administration
from brygga.partners.models import OFFER_AREAS, OfferKind, Organisation

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"
TABLES = ("organization", "service", "service_area", "language")
# The CSV file of each table, as HSDS names them ("path" in the schema).
FILES = {t: f"{t}s.csv" for t in TABLES}
NAMESPACE = uuid.UUID("6f1c3b56-2d7e-4d0a-9a57-0c1b5e0f8a21")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

COLUMNS = {
    "organization": ["id", "name", "description", "email", "website"],
    "service": ["id", "organization_id", "name", "description", "status"],
    "service_area": ["id", "service_id", "name"],
    "language": ["id", "service_id", "name"],
}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


@cache
def schema(table: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))


@cache
def _validator(table: str) -> Draft202012Validator:
    return Draft202012Validator(schema(table), format_checker=FormatChecker())


def languages_of(organisation: Organisation) -> list[str]:
    return [x.strip() for x in organisation.languages.split(",") if x.strip()]


# --- Export -----------------------------------------------------------------------------


def directory_for_export() -> QuerySet[Organisation]:
    """Every organisation with its offers and districts (three queries)."""
    return Organisation.objects.prefetch_related("offers", "districts").order_by("name", "pk")


def export_tables(organisations: Iterable[Organisation]) -> dict[str, list[dict[str, str]]]:
    labels = dict(OfferKind.choices)
    tables: dict[str, list[dict[str, str]]] = {t: [] for t in TABLES}
    for org in organisations:
        org_row = {
            "id": _id("organisation", org.pk),
            "name": org.name,
            "description": org.description,
        }
        if org.contact_email:
            org_row["email"] = org.contact_email
        if org.website:
            org_row["website"] = org.website
        tables["organization"].append(org_row)
        districts = sorted(org.districts.all(), key=lambda d: d.name)
        for offer in sorted(org.offers.all(), key=lambda o: o.pk):
            service_id = _id("offer", offer.pk)
            tables["service"].append(
                {
                    "id": service_id,
                    "organization_id": org_row["id"],
                    "name": str(labels.get(offer.kind, offer.kind)),
                    "description": offer.description,
                    "status": "active" if org.active else "inactive",
                }
            )
            for district in districts:
                tables["service_area"].append(
                    {
                        "id": _id("offer", offer.pk, "district", district.pk),
                        "service_id": service_id,
                        "name": district.name,
                    }
                )
            for language in languages_of(org):
                tables["language"].append(
                    {
                        "id": _id("offer", offer.pk, "language", language.casefold()),
                        "service_id": service_id,
                        "name": language,
                    }
                )
    return tables


def as_json(tables: dict[str, list[dict[str, str]]]) -> bytes:
    return json.dumps(tables, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv_zip(tables: dict[str, list[dict[str, str]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            text = io.StringIO()
            writer = CsvDictWriter(text, fieldnames=COLUMNS[table], lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(tables[table])
            archive.writestr(FILES[table], text.getvalue())
    return buffer.getvalue()


# --- Import -----------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The upload is not an HSDS JSON file or a zip of HSDS CSV files (a Swedish message)."""


@dataclass(frozen=True)
class RowError:
    table: str
    row: int  # 1-based: the data row in the JSON list, or the line in the CSV file
    reason: str

    def __str__(self) -> str:
        return _("%(table)s, rad %(row)s: %(reason)s") % {
            "table": self.table,
            "row": self.row,
            "reason": self.reason,
        }


@dataclass
class ImportedOrganisation:
    name: str
    description: str
    email: str
    website: str
    active: bool = False
    kinds: dict[str, str] = field(default_factory=dict)  # offer kind → its description
    districts: list[Administration] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    organisations: list[ImportedOrganisation]
    errors: list[RowError]


def read_upload(name: str, data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The rows of each table with their row numbers, from a .json or a .zip of CSV files."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(_("Filen är för stor (högst 2 MB)."))
    if name.lower().endswith(".json"):
        return _read_json(data)
    if name.lower().endswith(".zip"):
        return _read_zip(data)
    raise UnreadableFile(_("Välj en JSON-fil eller en zip-fil med CSV-filer i HSDS-format."))


def _read_json(data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise UnreadableFile(_("Filen är inte giltig JSON.")) from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("organization"), list):
        raise UnreadableFile(
            _("JSON-filen ska vara ett objekt med listorna organization, service, "
              "service_area och language.")
        )  # fmt: skip
    tables = {}
    for table in TABLES:
        rows = parsed.get(table, [])
        if not isinstance(rows, list):
            raise UnreadableFile(_("”%(table)s” ska vara en lista.") % {"table": table})
        tables[table] = [(i, row) for i, row in enumerate(rows, start=1)]
    _check_size(tables)
    return tables


def _read_zip(data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = {Path(i.filename).name: i for i in archive.infolist() if not i.is_dir()}
    except zipfile.BadZipFile:
        raise UnreadableFile(_("Filen är inte en giltig zip-fil.")) from None
    if sum(i.file_size for i in infos.values()) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("Zip-filen packas upp till mer än 10 MB."))
    if FILES["organization"] not in infos:
        raise UnreadableFile(_("Zip-filen saknar %(file)s.") % {"file": FILES["organization"]})
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for table in TABLES:
        info = infos.get(FILES[table])
        if info is None:
            tables[table] = []
            continue
        try:
            text = archive.read(info).decode("utf-8-sig")
        except (UnicodeDecodeError, zipfile.BadZipFile, OSError):
            raise UnreadableFile(
                _("%(file)s går inte att läsa som UTF-8.") % {"file": FILES[table]}
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        # A CSV cell cannot say "absent": an empty cell is a value not given, except in a
        # required column, where it is an empty text (an organisation without description).
        required = set(schema(table).get("required", []))
        tables[table] = [
            (
                reader.line_num,
                {k: unguard(v) for k, v in row.items() if k and (v or (k in required and v == ""))},
            )
            for row in reader
        ]
    _check_size(tables)
    return tables


def _check_size(tables: dict[str, list[tuple[int, dict[str, Any]]]]) -> None:
    if sum(len(rows) for rows in tables.values()) > MAX_ROWS:
        raise UnreadableFile(_("Filen har för många rader (högst %(n)s).") % {"n": MAX_ROWS})


def _schema_reasons(table: str, row: dict[str, Any]) -> list[str]:
    """The row's faults against the HSDS schema, in Swedish. Only its plain fields are checked:
    Brygga reads no nested lists (phones, contacts …), so they are neither read nor followed."""
    plain = {k: v for k, v in row.items() if not isinstance(v, list | dict)}
    reasons = []
    for error in sorted(_validator(table).iter_errors(plain), key=lambda e: list(e.path)):
        name = str(error.path[0]) if error.path else ""
        if error.validator == "required":
            missing = [f for f in error.validator_value if f not in plain]
            reasons += [_("fältet ”%(field)s” saknas") % {"field": f} for f in missing]
        elif error.validator == "format":
            reasons.append(_("”%(field)s” har fel format") % {"field": name})
        elif error.validator == "type":
            reasons.append(_("”%(field)s” har fel typ") % {"field": name})
        elif error.validator == "enum":
            reasons.append(_("”%(field)s” har ett värde som inte är tillåtet") % {"field": name})
        else:
            reasons.append(_("”%(field)s” följer inte HSDS-schemat") % {"field": name or table})
    return reasons


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def plan_import(tables: dict[str, list[tuple[int, dict[str, Any]]]]) -> ImportPlan:
    """Check every row; build what would be saved. Nothing here writes to the database."""
    errors: list[RowError] = []
    kinds = {str(label).casefold(): value for value, label in OfferKind.choices}
    kinds.update({value: value for value in OfferKind.values})
    districts = {
        d.name.casefold(): d
        for d in Administration.objects.filter(kind=Administration.Kind.DISTRICT)
    }
    by_id: dict[str, ImportedOrganisation] = {}
    service_owner: dict[str, ImportedOrganisation] = {}
    names: set[str] = set()
    valid_rows: dict[str, list[tuple[int, dict[str, Any]]]] = {t: [] for t in TABLES}
    for table in TABLES:
        seen_ids: set[str] = set()
        for number, row in tables[table]:
            if not isinstance(row, dict):
                errors.append(RowError(table, number, _("raden är inget objekt")))
                continue
            reasons = _schema_reasons(table, row)
            row_id = _text(row, "id")
            if row_id and row_id in seen_ids:
                reasons.append(_("id ”%(id)s” finns redan i filen") % {"id": row_id})
            seen_ids.add(row_id)
            if reasons:
                errors += [RowError(table, number, r) for r in reasons]
            else:
                valid_rows[table].append((number, row))

    for number, row in valid_rows["organization"]:
        name = _text(row, "name")
        reasons = []
        if not name:
            reasons.append(_("namnet är tomt"))
        elif len(name) > 200:
            reasons.append(_("namnet är längre än 200 tecken"))
        elif name.casefold() in names:
            reasons.append(_("organisationen ”%(name)s” finns två gånger") % {"name": name})
        names.add(name.casefold())
        description = _text(row, "description")
        if len(description) > 2000:
            reasons.append(_("beskrivningen är längre än 2000 tecken"))
        email, website = _text(row, "email"), _text(row, "website")
        try:
            if email:
                EmailValidator()(email)
        except ValidationError:
            reasons.append(_("e-postadressen är ogiltig"))
        try:
            if website:
                URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            reasons.append(_("webbadressen är ogiltig"))
        if reasons:
            errors += [RowError("organization", number, r) for r in reasons]
            continue
        by_id[_text(row, "id")] = ImportedOrganisation(name, description, email, website)

    for number, row in valid_rows["service"]:
        owner = by_id.get(_text(row, "organization_id"))
        kind = kinds.get(_text(row, "name").casefold())
        reasons = []
        if owner is None:
            reasons.append(_("organization_id pekar inte på någon organisation i filen"))
        if kind is None:
            reasons.append(
                _("erbjudandet ”%(name)s” finns inte i Brygga") % {"name": _text(row, "name")}
            )
        if reasons or owner is None or kind is None:
            errors += [RowError("service", number, r) for r in reasons]
            continue
        description = _text(row, "description")
        if len(description) > 300:
            errors.append(RowError("service", number, _("beskrivningen är längre än 300 tecken")))
            continue
        owner.kinds.setdefault(kind, description)
        owner.active = owner.active or row.get("status") == "active"
        service_owner[_text(row, "id")] = owner

    for number, row in valid_rows["service_area"]:
        owner = service_owner.get(_text(row, "service_id"))
        district = districts.get(_text(row, "name").casefold())
        reasons = []
        if owner is None:
            reasons.append(_("service_id pekar inte på någon tjänst i filen"))
        if district is None:
            reasons.append(
                _("stadsdelen ”%(name)s” finns inte i Brygga") % {"name": _text(row, "name")}
            )
        if reasons or owner is None or district is None:
            errors += [RowError("service_area", number, r) for r in reasons]
            continue
        if district not in owner.districts:
            owner.districts.append(district)

    for number, row in valid_rows["language"]:
        owner = service_owner.get(_text(row, "service_id"))
        language = _text(row, "name")
        reasons = []
        if owner is None:
            reasons.append(_("service_id pekar inte på någon tjänst i filen"))
        if not language:
            reasons.append(_("språket saknar namn"))
        if reasons or owner is None:
            errors += [RowError("language", number, r) for r in reasons]
            continue
        if language.casefold() not in {x.casefold() for x in owner.languages}:
            owner.languages.append(language)

    for number, row in valid_rows["organization"]:
        owner = by_id.get(_text(row, "id"))
        if owner is not None and not owner.kinds:
            errors.append(
                RowError("organization", number, _("organisationen har ingen giltig tjänst"))
            )
        if owner is not None and len(", ".join(owner.languages)) > 300:
            errors.append(
                RowError("organization", number, _("språken är längre än 300 tecken ihop"))
            )
    errors.sort(key=lambda e: (TABLES.index(e.table), e.row))
    return ImportPlan(list(by_id.values()), errors)


def offers_of(imported: ImportedOrganisation) -> list[tuple[str, str, str]]:
    return [(kind, OFFER_AREAS[kind], text) for kind, text in imported.kinds.items()]
