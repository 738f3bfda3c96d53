"""The directory in Open Referral HSDS: the export validates against the HSDS schema, an
import with a bad row reports every bad row in Swedish and saves nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from brygga.audit.models import Action, AuditEvent
from brygga.partners.models import Organisation
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "brygga" / "partners" / "hsds_schema"
TABLES = ("organization", "service", "service_area", "language")
PAGE = reverse("partners:hsds")


def schema(table):
    return json.loads((SCHEMAS / f"{table}.json").read_text(encoding="utf-8"))


def assert_valid_hsds(tables):
    """Every row against its HSDS table schema (formats checked), and each service with its
    areas and languages nested, as HSDS's service schema allows, resolved by reference."""
    for table in TABLES:
        validator = Draft202012Validator(schema(table), format_checker=FormatChecker())
        for row in tables[table]:
            assert not list(validator.iter_errors(row)), (table, row)
    registry = Registry().with_resources(
        (f"{t}.json", DRAFT202012.create_resource(schema(t))) for t in TABLES
    )
    nested = Draft202012Validator(schema("service"), registry=registry)
    for service in tables["service"]:
        full = {
            **service,
            "service_areas": [
                a for a in tables["service_area"] if a["service_id"] == service["id"]
            ],
            "languages": [x for x in tables["language"] if x["service_id"] == service["id"]],
        }
        assert not list(nested.iter_errors(full)), full
    org_ids = {o["id"] for o in tables["organization"]}
    service_ids = {s["id"] for s in tables["service"]}
    assert all(s["organization_id"] in org_ids for s in tables["service"])
    assert all(a["service_id"] in service_ids for a in tables["service_area"])


@pytest.fixture
def directory(cast, partners):
    partners.mentors.districts.set([cast.sodermalm.administration])
    partners.mentors.contact_email = "info@mentorer.example"
    partners.mentors.website = "https://mentorer.example"
    partners.mentors.languages = "svenska, arabiska"
    partners.mentors.save()
    return partners


def export_json(user):
    response = signed_in(user).get(reverse("partners:hsds_export_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_json_export_is_valid_hsds_with_the_directorys_facts(cast, directory):
    tables = export_json(directory.coordinator)

    assert_valid_hsds(tables)
    mentors = next(o for o in tables["organization"] if o["name"] == directory.mentors.name)
    assert mentors["email"] == "info@mentorer.example"
    [service] = [s for s in tables["service"] if s["organization_id"] == mentors["id"]]
    assert (service["name"], service["status"]) == ("Mentorskap", "active")
    areas = [a["name"] for a in tables["service_area"] if a["service_id"] == service["id"]]
    assert areas == [cast.sodermalm.administration.name]
    languages = [x["name"] for x in tables["language"] if x["service_id"] == service["id"]]
    assert languages == ["svenska", "arabiska"]
    # Ids are stable: a second export gives the same.
    assert export_json(directory.coordinator) == tables


def test_the_csv_export_holds_the_four_hsds_tables(directory):
    response = signed_in(directory.coordinator).get(reverse("partners:hsds_export_zip"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "languages.csv",
        "organizations.csv",
        "service_areas.csv",
        "services.csv",
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("organizations.csv").decode())))
    assert {r["name"] for r in rows} == {directory.mentors.name, directory.cafe.name}
    assert_valid_hsds(
        {
            t: [
                {k: v for k, v in r.items() if v or k in ("description",)}
                for r in csv.DictReader(io.StringIO(archive.read(f"{t}s.csv").decode()))
            ]
            for t in TABLES
        }
    )


def test_every_export_is_audited_and_the_page_is_for_maintainers_only(cast, directory):
    export_json(directory.coordinator)
    assert AuditEvent.objects.filter(action=Action.EXPORT, user_id=directory.coordinator.pk)
    for url in (PAGE, reverse("partners:hsds_export_json"), reverse("partners:hsds_export_zip")):
        assert signed_in(cast.case_worker).get(url).status_code == 404
        assert signed_in(directory.mentor_partner).get(url).status_code == 404
    assert signed_in(directory.coordinator).get(PAGE).status_code == 200


def test_the_export_runs_a_constant_number_of_queries(
    cast, directory, django_assert_max_num_queries
):
    from tests.partners.conftest import organisation

    client = signed_in(directory.coordinator)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("partners:hsds_export_json"))
    for i in range(5):
        organisation(f"Förening {i} (fiktiv)").districts.set([cast.sodermalm.administration])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("partners:hsds_export_json"))


# --- Import.


def upload(user, name, content):
    return signed_in(user).post(PAGE, {"file": SimpleUploadedFile(name, content)})


def zipped(tables):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table, rows in tables.items():
            text = io.StringIO()
            columns = sorted({k for r in rows for k in r}) or ["id"]
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{table}s.csv", text.getvalue())
    return buffer.getvalue()


ORG = "3f2b8a4e-9c61-4c1e-8f0e-1a2b3c4d5e6f"
SERVICE = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


def new_directory(cast):
    return {
        "organization": [
            {"id": ORG, "name": "Kvinnojouren Norr (fiktiv)", "description": "Stöd dygnet runt."}
        ],
        "service": [
            {
                "id": SERVICE,
                "organization_id": ORG,
                "name": "Juridisk rådgivning",
                "status": "active",
                "description": "Rådgivning om skilsmässa",
            }
        ],
        "service_area": [
            {
                "id": "b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "service_id": SERVICE,
                "name": cast.sodermalm.administration.name,
            }
        ],
        "language": [
            {
                "id": "c1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "service_id": SERVICE,
                "name": "somaliska",
            }
        ],
    }


def test_a_csv_import_adds_the_organisation_with_its_offers_districts_and_languages(
    cast, directory
):
    response = upload(directory.coordinator, "katalog.zip", zipped(new_directory(cast)))

    assert response.status_code == 302
    saved = Organisation.objects.get(name="Kvinnojouren Norr (fiktiv)")
    [offer] = saved.offers.all()
    assert (offer.kind, offer.area, offer.description) == (
        "legal_advice",
        "safety",
        "Rådgivning om skilsmässa",
    )
    assert list(saved.districts.all()) == [cast.sodermalm.administration]
    assert saved.languages == "somaliska" and saved.active
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(saved.pk), user_id=directory.coordinator.pk
    )


def test_an_export_imported_again_changes_nothing_and_creates_nothing(directory):
    before = list(Organisation.objects.order_by("pk").values("name", "languages", "active"))
    content = signed_in(directory.coordinator).get(reverse("partners:hsds_export_json")).content

    response = upload(directory.coordinator, "katalog.json", content)

    assert response.status_code == 302
    assert list(Organisation.objects.order_by("pk").values("name", "languages", "active")) == before
    assert [o.kind for o in directory.mentors.offers.all()] == ["mentoring"]


def test_an_import_with_bad_rows_names_each_row_and_saves_none_of_them(cast, directory):
    tables = new_directory(cast)
    tables["organization"].append({"id": "inte-ett-uuid", "name": "Trasig förening"})
    tables["organization"].append(
        {"id": "4f2b8a4e-9c61-4c1e-8f0e-1a2b3c4d5e6f", "name": "", "description": "x"}
    )
    tables["service"][0]["status"] = "kanske"
    tables["service_area"][0]["name"] = "Atlantis"
    organisations = Organisation.objects.count()

    response = upload(directory.coordinator, "katalog.json", json.dumps(tables).encode())

    page = response.content.decode()
    assert response.status_code == 200
    assert "rader har fel. Inget har sparats" in page
    assert "organization, rad 2: fältet ”description” saknas" in page
    assert "organization, rad 2: ”id” har fel format" in page
    assert "organization, rad 3: namnet är tomt" in page
    assert "service, rad 1: ”status” har ett värde som inte är tillåtet" in page
    assert "service_area, rad 1: stadsdelen ”Atlantis” finns inte i Brygga" in page
    # The good organisation in the same file was not saved either.
    assert Organisation.objects.count() == organisations
    assert not Organisation.objects.filter(name="Kvinnojouren Norr (fiktiv)").exists()


def test_csv_rows_are_numbered_by_their_line_in_the_file(cast, directory):
    tables = new_directory(cast)
    tables["service"].append(
        {"id": "d1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "organization_id": ORG,
         "name": "Flygande mattor", "status": "active"}
    )  # fmt: skip
    response = upload(directory.coordinator, "katalog.zip", zipped(tables))
    assert "service, rad 3: erbjudandet ”Flygande mattor” finns inte i Brygga" in (
        response.content.decode()
    )
    assert not Organisation.objects.filter(name="Kvinnojouren Norr (fiktiv)").exists()


def test_an_imported_name_that_exists_updates_that_organisation(cast, directory):
    tables = new_directory(cast)
    tables["organization"][0]["name"] = directory.cafe.name.upper()
    organisations = Organisation.objects.count()

    assert upload(directory.coordinator, "k.json", json.dumps(tables).encode()).status_code == 302

    assert Organisation.objects.count() == organisations
    directory.cafe.refresh_from_db()
    assert [o.kind for o in directory.cafe.offers.all()] == ["legal_advice"]
    assert directory.cafe.version == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("k.json", b"{inte json", "Filen är inte giltig JSON."),
        ("k.json", b"[1, 2]", "JSON-filen ska vara ett objekt"),
        ("k.zip", b"PK inte en zip", "Filen är inte en giltig zip-fil."),
        ("k.zip", zipped({"service": []}), "Zip-filen saknar organizations.csv."),
        ("k.xlsx", b"x", "Välj en JSON-fil eller en zip-fil"),
        ("k.json", b"", "Filen är tom."),
        ("k.json", json.dumps({"organization": [1]}).encode(), "raden är inget objekt"),
        ("k.json", b"\xff\xfe\x00", "Filen är inte giltig JSON."),
    ],
)
def test_an_unreadable_file_is_refused_at_the_field(directory, name, content, message):
    organisations = Organisation.objects.count()
    response = upload(directory.coordinator, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == organisations


def test_a_post_without_a_file_asks_for_one(directory):
    response = signed_in(directory.coordinator).post(PAGE, {})
    assert response.status_code == 200
    assert "Välj en fil." in response.content.decode()
