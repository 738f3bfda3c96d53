"""The city view and budget assignments: for the network role only, aggregates only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from brygga.audit.models import AuditEvent
from brygga.cases.models import Phase
from brygga.housing.models import WaitingEntry
from brygga.network.equality import CaseFilter, district_facts
from brygga.network.models import BudgetAssignment, MeetingNote
from brygga.organisation.models import Role
from brygga.people.models import Gender
from tests.conftest import signed_in
from tests.factories import PersonFactory, case_with_team, staff_member
from tests.housing.conftest import DAY, allocated, decision, flat, today
from tests.support.conftest import assess, follow_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return staff_member(Role.NETWORK, None, username="network")


@pytest.fixture
def sodermalm(cast):
    """Six more open cases and one closed in Södermalm, with hand-countable facts."""
    cases = [cast.case] + [case_with_team(cast.sodermalm, cast.case_worker) for _ in range(6)]
    case_with_team(cast.sodermalm, cast.case_worker, phase=Phase.CLOSED)
    man = PersonFactory(gender=Gender.MAN, birth_year=today().year - 30)
    cases.append(case_with_team(cast.sodermalm, cast.case_worker, person=man))
    # Two cases with a housing need nobody carries: responsibility gaps. The others have
    # their core needs assessed as met (a core need never assessed would be a gap too).
    for case in cases[:2]:
        assess(case, today() - 5 * DAY, housing=2, occupation=4, social=4)
    for case in cases[2:]:
        assess(case, today() - 5 * DAY, housing=4, occupation=4, social=4)
    for _ in range(3):
        flat(cast.sodermalm)
    for case, days in zip(cases[2:4], (10, 30), strict=True):
        WaitingEntry.objects.create(
            case=case,
            district=cast.sodermalm.administration,
            kind="emergency",
            since=today() - days * DAY,
        )
    # Housing decisions: 3 months (shorter than the SHIS minimum of 6), 12 and 12.
    for case, months in zip(cases[4:7], (3, 12, 12), strict=True):
        start = today() - 10 * DAY
        decision(
            case, period_start=start, period_end=start + datetime.timedelta(days=months * 30.5)
        )
    # Follow-ups: one held on time, one late, one not yet due.
    follow_up(cases[0], today() - 30 * DAY, held_on=today() - 20 * DAY)
    follow_up(cases[1], today() - 60 * DAY)
    follow_up(cases[2], today() - 5 * DAY)
    return cases


def test_the_raw_facts_of_a_district_by_hand(cast, sodermalm):
    from brygga.cases.models import Case

    facts = {f.name: f for f in district_facts(Case.objects.all(), CaseFilter(), today())}
    f = facts[cast.sodermalm.administration.name]
    assert f.open_cases == 8
    assert f.gap_cases == 2
    assert f.flats == 3
    assert sorted(f.waiting_days) == [10, 30]
    housing = [d for d in f.decisions if d.is_housing]
    assert sorted(d.months for d in housing) == [3, 12, 12]
    assert [d.is_short for d in housing].count(True) == 1
    assert (f.follow_ups_due, f.follow_ups_on_time) == (2, 1)
    other = facts[cast.rinkeby.administration.name]
    assert other.open_cases == 0 and other.flats == 0
    # Filtered to men: only the one man's case.
    men = {x.name: x for x in district_facts(Case.objects.all(), CaseFilter("man"), today())}
    assert men[cast.sodermalm.administration.name].open_cases == 1
    young = district_facts(Case.objects.all(), CaseFilter("", "35-"), today())
    assert all(x.open_cases == 0 for x in young)


@pytest.mark.parametrize(
    "name", ["case_worker", "unit_manager", "housing_support", "administrator"]
)
def test_only_the_network_role_opens_the_city_view(cast, network, name):
    assert signed_in(getattr(cast, name)).get(reverse("network:city")).status_code == 404
    assert signed_in(network).get(reverse("network:city")).status_code == 200


def test_the_city_view_shows_districts_side_by_side_with_small_counts_hidden(
    cast, network, sodermalm
):
    response = signed_in(network).get(reverse("network:city"))
    body = response.content.decode()
    assert cast.sodermalm.administration.name in body
    assert cast.rinkeby.administration.name in body
    assert "Stadens median" in body
    assert "&lt;5" in body  # two waiting, one man …
    # Aggregates only: no person, no case, no flat address.
    for case in sodermalm:
        assert case.person.full_name not in body
    assert "Hemliga gatan" not in body
    event = AuditEvent.objects.filter(action="view", detail__page="city_view").get()
    assert event.person_id is None


def test_the_view_filters_by_gender_and_age_band(cast, network, sodermalm):
    client = signed_in(network)
    response = client.get(reverse("network:city"), {"kon": "man", "alder": "25-34"})
    assert response.status_code == 200
    assert 'value="man" selected' in response.content.decode()
    # A forged filter is ignored, never a 500.
    assert client.get(reverse("network:city"), {"kon": "<script>"}).status_code == 200


def test_the_view_exports_as_csv_and_xlsx_and_prints(cast, network, sodermalm):
    client = signed_in(network)
    csv_text = client.get(reverse("network:city_csv")).content.decode()
    header, *lines = csv_text.splitlines()
    assert header.startswith("Stadsdel;Öppna ärenden;Lägenheter")
    sod = next(line for line in lines if line.startswith(cast.sodermalm.administration.name))
    # Eight open cases, but two gaps (<5): the eight is withheld ("x") so the six cannot
    # reveal the two. The three flats are not persons and are always shown.
    assert sod.split(";")[1:3] == ["x", "3"]
    assert lines[-1].startswith("Stadens median")
    book = load_workbook(io.BytesIO(client.get(reverse("network:city_xlsx")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Stadsdel" and len(rows) == len(lines) + 1
    printed = client.get(reverse("network:city"), {"utskrift": "1"}).content.decode()
    assert "Likställighet mellan stadsdelarna" in printed and "<nav" not in printed
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_the_city_view_runs_a_constant_number_of_queries(
    cast, network, sodermalm, django_assert_max_num_queries
):
    client = signed_in(network)
    client.get(reverse("network:city"))
    with django_assert_max_num_queries(20):
        client.get(reverse("network:city"))
    for _ in range(5):
        case = case_with_team(cast.rinkeby, cast.other_district_worker)
        allocated(flat(cast.rinkeby), case, today() - 3 * DAY)
        assess(case, today(), housing=1)
    with django_assert_max_num_queries(20):
        client.get(reverse("network:city"))


def test_the_network_records_a_budget_assignment_and_meeting_notes(cast, network):
    client = signed_in(network)
    response = client.post(
        reverse("network:assignment_new"),
        {
            "title": "Jourlägenheter i alla stadsdelar",
            "responsible_district": cast.rinkeby.administration_id,
            "status": "in_progress",
            "next_check_in": (today() - DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    assignment = BudgetAssignment.objects.get()
    listing = client.get(reverse("network:assignments")).content.decode()
    overdue = listing.split("Försenade avstämningar")[1].split("Alla budgetuppdrag")[0]
    assert "Jourlägenheter i alla stadsdelar" in overdue
    client.post(
        reverse("network:note_new", args=[assignment.pk]),
        {"met_on": today().isoformat(), "text": "Rinkeby-Kista återkommer i mars."},
    )
    assert MeetingNote.objects.get().assignment == assignment
    page = client.get(reverse("network:assignment_edit", args=[assignment.pk]))
    assert "Rinkeby-Kista återkommer i mars." in page.content.decode()


def test_an_assignment_needs_exactly_one_responsible_and_a_done_one_is_not_overdue(cast, network):
    client = signed_in(network)
    response = client.post(
        reverse("network:assignment_new"), {"title": "Utan ansvarig", "status": "in_progress"}
    )
    assert "antingen en förvaltning eller en enhet" in response.content.decode()
    assert not BudgetAssignment.objects.exists()
    BudgetAssignment.objects.create(
        title="Klart uppdrag",
        responsible_unit=cast.sodermalm,
        status="done",
        next_check_in=today() - 10 * DAY,
    )
    listing = signed_in(network).get(reverse("network:assignments")).content.decode()
    assert "Inga försenade avstämningar." in listing and "Klart uppdrag" in listing


def test_a_stale_assignment_edit_is_refused(cast, network):
    assignment = BudgetAssignment.objects.create(
        title="Uppdrag", responsible_unit=cast.sodermalm, status="in_progress"
    )
    BudgetAssignment.objects.filter(pk=assignment.pk).update(version=3)
    response = signed_in(network).post(
        reverse("network:assignment_edit", args=[assignment.pk]),
        {
            "title": "Nytt namn",
            "responsible_unit": cast.sodermalm.pk,
            "status": "done",
            "version": 1,
        },
    )
    assert "Någon annan har ändrat uppdraget" in response.content.decode()
    assert BudgetAssignment.objects.get().title == "Uppdrag"


def test_open_cases_referred_to_civil_society_are_counted_once_per_case(cast, sodermalm):
    from brygga.cases.models import Case
    from tests.partners.conftest import consent, organisation, referral

    mentors = organisation("Mentorer (fiktiv)")
    cafe = organisation("Språkcafé (fiktiv)")
    open_cases = list(Case.objects.exclude(phase=Phase.CLOSED).order_by("pk"))
    closed = Case.objects.get(phase=Phase.CLOSED)
    # The first case referred twice (two organisations), the second once, a closed case once.
    for case, org in ((open_cases[0], mentors), (open_cases[0], cafe), (open_cases[1], cafe)):
        referral(case, consent(case, org, cast.case_worker), cast.case_worker)
    referral(closed, consent(closed, mentors, cast.case_worker), cast.case_worker)

    facts = {f.name: f for f in district_facts(Case.objects.all(), CaseFilter(), today())}
    assert facts[cast.sodermalm.administration.name].referred_cases == 2
    assert facts[cast.rinkeby.administration.name].referred_cases == 0
