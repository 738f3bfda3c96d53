"""The statistician's report page and its downloads: aggregates only, audited, constant queries."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import OutcomeEvent, OutcomeKind, Phase, ProtectedHousingStay
from brygga.organisation.models import Role
from brygga.people.models import Gender
from brygga.support.areas import NeedArea
from brygga.support.models import Intervention, InterventionStatus, InterventionType
from tests.conftest import signed_in
from tests.factories import CaseFactory, PersonFactory, staff_member
from tests.support.conftest import assess, follow_up

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def fill(unit, n: int, start: int = 0) -> None:
    """n cases with stays, outcomes, an intervention, a follow-up and assessments."""
    today = timezone.localdate()
    # get_or_create: browser tests flush the database, the seeded catalogue with it.
    contact_person, _ = InterventionType.objects.get_or_create(
        name="Kontaktperson", defaults={"area": NeedArea.SOCIAL}
    )
    for i in range(start, start + n):
        person = PersonFactory(gender=Gender.MAN if i % 4 == 0 else Gender.WOMAN,
                               birth_year=1990 + i % 10)  # fmt: skip
        opened = today - (40 + 7 * i) * DAY
        case = CaseFactory(person=person, owning_unit=unit, opened_on=opened,
                           phase=Phase.ESTABLISHING)  # fmt: skip
        left = opened + 20 * DAY
        ProtectedHousingStay.objects.create(case=case, provider="Demo", started_on=opened,
                                            ended_on=left)  # fmt: skip
        if i % 3 == 0:
            OutcomeEvent.objects.create(case=case, kind=OutcomeKind.RETURNED_TO_FAMILY,
                                        occurred_on=left + (5 + i) * DAY)  # fmt: skip
        if i % 2 == 0:
            OutcomeEvent.objects.create(case=case, kind=OutcomeKind.OWN_TENANCY,
                                        occurred_on=left + (10 + i) * DAY)  # fmt: skip
        Intervention.objects.create(
            case=case, type=contact_person, area=contact_person.area,
            status=InterventionStatus.ACTIVE, period_start=opened, period_end=opened + 180 * DAY,
        )  # fmt: skip
        follow_up(case, left + 30 * DAY, held_on=left + 31 * DAY if i % 2 else None)
        assess(case, opened, housing=2, occupation=3, social=2)


@pytest.fixture
def statistician(cast):
    return staff_member(Role.STATISTICIAN, None, username="statistiker")


def test_the_statistician_sees_the_report_and_no_person(cast, statistician):
    fill(cast.sodermalm, 12)
    client = signed_in(statistician)

    page = client.get("/statistik/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Återfall efter skyddat boende" in body and "Jämställdhetsanalys" in body
    assert cast.case.person.full_name not in body
    assert "&lt;5" in body  # small cells are shown as <5


def test_the_statistician_start_page_leads_to_the_report(statistician):
    body = signed_in(statistician).get("/").content.decode()

    assert "Öppna statistik och nämndrapport" in body


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "administrator"])
def test_only_the_statistician_gets_the_report(cast, statistician, persona):
    assert signed_in(statistician).get("/statistik/").status_code == 200
    client = signed_in(getattr(cast, persona))

    for path in ("/statistik/", "/statistik/rapport.pdf", "/statistik/rapport.xlsx",
                 "/statistik/rapport.csv"):  # fmt: skip
        assert client.get(path).status_code == 404


def test_a_malformed_period_is_a_clear_error_and_a_refused_download(statistician):
    client = signed_in(statistician)

    page = client.get("/statistik/", {"year": "tvåtusen", "quarter": "9"})

    assert page.status_code == 200
    assert "Välj ett av alternativen i listan." in page.content.decode()
    assert client.get("/statistik/rapport.pdf", {"year": "x"}).status_code == 400


def _numbers_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d,.])\d+(?![\d,.%])", text)]


def test_downloads_are_audited_and_hold_no_count_under_five(cast, statistician):
    fill(cast.sodermalm, 14)
    client = signed_in(statistician)
    year = timezone.localdate().year
    query = {"year": year, "quarter": 0}

    xlsx = client.get("/statistik/rapport.xlsx", query)
    csv_text = client.get("/statistik/rapport.csv", query).content.decode()
    pdf = client.get("/statistik/rapport.pdf", query)

    assert xlsx["Content-Disposition"].endswith(f'brygga-namndrapport-{year}.xlsx"')
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [c for sheet in book.worksheets[1:] for row in sheet.iter_rows(values_only=True)
              for c in row if c is not None]  # fmt: skip
    counts = [v for v in values if isinstance(v, int)]
    assert counts and min(counts) >= 5
    assert "<5" in values
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    cells = [c for row in rows[1:] for c in row[1:] if c.isdigit()]
    assert cells and all(int(c) >= 5 for c in cells)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nämndrapport" in text and "<5" in text
    assert cast.case.person.full_name not in text
    formats = set(
        AuditEvent.objects.filter(action=Action.EXPORT, user_id=statistician.pk).values_list(
            "detail__format", flat=True
        )
    )
    assert formats == {"pdf", "xlsx", "csv"}


def test_the_report_runs_the_same_number_of_queries_for_more_cases(
    cast, statistician, django_assert_max_num_queries
):
    client = signed_in(statistician)
    fill(cast.sodermalm, 3)
    client.get("/statistik/")  # warm: sessions, memberships
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/statistik/")
    fill(cast.rinkeby, 30, start=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/statistik/").status_code == 200


def test_the_city_and_a_district_report_count_early_warning_signals_for_a_running_period(
    cast, statistician
):
    fill(cast.sodermalm, 6)
    client = signed_in(statistician)
    year = timezone.localdate().year

    district = client.get(
        "/statistik/", {"year": year, "quarter": 0, "district": cast.sodermalm.administration_id}
    ).content.decode()
    city = client.get("/statistik/", {"year": year, "quarter": 0}).content.decode()
    last_year = client.get("/statistik/", {"year": year - 1, "quarter": 0}).content.decode()

    assert "Tidiga varningssignaler i dag" in district
    assert "Tidiga varningssignaler i dag" in city
    # A finished period has no "today": the section says why instead of counting.
    assert "Tidiga varningssignaler" in last_year
    assert "Tidiga varningssignaler i dag" not in last_year
