"""Registering a person and opening a case: validation in Swedish, nothing half-saved."""

import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.people.identity import blind_index
from brygga.people.models import Person
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def valid_form(cast, **overrides):
    data = {
        "person-first_name": "Testa",
        "person-last_name": "Fiktivsson",
        "person-identity_input": "19811228-9874",
        "person-gender": "woman",
        "person-birth_year": "1981",
        "person-protection_level": "skyddad_folkbokforing",
        "person-accompanying_children": "1",
        "case-owning_unit": str(cast.sodermalm.pk),
        "case-responsible": str(cast.case_worker.pk),
        "case-opened_on": "2026-11-01",
    }
    data.update(overrides)
    return data


def test_a_worker_registers_a_person_and_opens_a_case_they_are_responsible_for(cast):
    response = signed_in(cast.case_worker).post(reverse("open_case"), valid_form(cast))
    case = Case.objects.exclude(pk=cast.case.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk])
    assert case.owning_unit == cast.sodermalm
    assert case.person.identity_number == "198112289874"
    assert case.person.identity_index == blind_index("198112289874")
    member = CaseTeamMember.objects.get(case=case)
    assert (member.user, member.role) == (cast.case_worker, TeamRole.RESPONSIBLE)


def test_opening_a_case_is_audited_for_the_person_and_the_case(cast):
    signed_in(cast.case_worker).post(reverse("open_case"), valid_form(cast))
    person = Person.objects.get(last_name="Fiktivsson")
    created = AuditEvent.objects.filter(action=Action.CREATE, person_id=person.pk)
    assert {e.object_type for e in created} == {"people.Person", "cases.Case"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person-identity_input", "19811228-9875", "Kontrollsiffran stämmer inte"),
        ("person-identity_input", "hej", "Skriv numret som"),
        ("person-birth_year", "1990", "Födelseåret stämmer inte med numret"),
        ("person-birth_year", "1850", "Ange ett födelseår mellan"),
        ("person-first_name", "", "Ange förnamn."),
        ("case-opened_on", "2999-01-01", "kan inte öppnas i framtiden"),
        ("case-opened_on", "igår", "Ange ett datum som"),
    ],
)
def test_bad_input_gets_a_swedish_message_at_the_field_and_nothing_is_saved(
    cast, field, value, message
):
    persons_before = Person.objects.count()
    response = signed_in(cast.case_worker).post(
        reverse("open_case"), valid_form(cast, **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Något behöver rättas" in html  # the error summary at the top
    assert f'id="id_{field}_error"' in html  # the message sits at the field
    assert Person.objects.count() == persons_before
    assert Case.objects.count() == 1


def test_a_worker_cannot_open_a_case_in_another_districts_unit(cast):
    response = signed_in(cast.case_worker).post(
        reverse("open_case"), valid_form(cast, **{"case-owning_unit": str(cast.rinkeby.pk)})
    )
    assert response.status_code == 200
    assert "Välj en av dina enheter." in response.content.decode()
    assert Case.objects.count() == 1


def test_the_responsible_worker_must_belong_to_the_owning_unit(cast):
    response = signed_in(cast.case_worker).post(
        reverse("open_case"),
        valid_form(cast, **{"case-responsible": str(cast.other_district_worker.pk)}),
    )
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_a_second_person_with_a_number_the_worker_already_sees_is_refused(cast):
    client = signed_in(cast.case_worker)
    client.post(reverse("open_case"), valid_form(cast))
    response = client.post(
        reverse("open_case"), valid_form(cast, **{"person-identity_input": "811228-9874"})
    )
    assert "Personen med detta nummer finns redan bland dina ärenden" in response.content.decode()
    assert Person.objects.filter(last_name="Fiktivsson").count() == 1
    existing = Person.objects.get(last_name="Fiktivsson")
    lookup = AuditEvent.objects.get(action=Action.SEARCH, person_id=existing.pk)
    assert lookup.user_id == cast.case_worker.pk


def test_a_samordningsnummer_is_accepted(cast):
    signed_in(cast.case_worker).post(
        reverse("open_case"),
        valid_form(cast, **{"person-identity_input": "900161-3240", "person-birth_year": "1990"}),
    )
    person = Person.objects.get(last_name="Fiktivsson")
    assert person.identity_kind == "samordningsnummer"


def test_a_person_without_a_number_can_be_registered(cast):
    signed_in(cast.case_worker).post(
        reverse("open_case"), valid_form(cast, **{"person-identity_input": ""})
    )
    person = Person.objects.get(last_name="Fiktivsson")
    assert (person.identity_kind, person.identity_index) == ("none", "")


@pytest.mark.parametrize("persona", ["housing_support", "administrator"])
def test_only_workers_and_managers_may_open_cases(cast, persona):
    client = signed_in(getattr(cast, persona))
    assert client.get(reverse("open_case")).status_code == 404
    assert client.post(reverse("open_case"), valid_form(cast)).status_code == 404
    assert Case.objects.count() == 1


def test_a_worker_who_opens_a_case_for_a_colleague_stays_on_the_team(cast):
    response = signed_in(cast.case_worker).post(
        reverse("open_case"), valid_form(cast, **{"case-responsible": str(cast.colleague.pk)})
    )
    case = Case.objects.exclude(pk=cast.case.pk).get()
    roles = {m.user: m.role for m in case.team_members.all()}
    assert roles == {cast.colleague: TeamRole.RESPONSIBLE, cast.case_worker: TeamRole.WORKER}
    assert signed_in(cast.case_worker).get(response.url).status_code == 200
