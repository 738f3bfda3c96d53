"""Search finds persons by name or personnummer, only among the cases the user may see."""

import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.people.identity import blind_index
from tests.conftest import signed_in
from tests.factories import PersonFactory, case_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbered(cast):
    person = cast.case.person
    person.identity_number = "198112289874"
    person.identity_index = blind_index("198112289874")
    person.save()
    return person


def search(user, q):
    return signed_in(user).post(reverse("search"), {"q": q})


def test_the_case_worker_finds_the_person_by_name(cast):
    response = search(cast.case_worker, cast.case.person.first_name)
    assert cast.case.person.full_name in response.content.decode()


@pytest.mark.parametrize("written", ["19811228-9874", "811228-9874", "198112289874"])
def test_the_case_worker_finds_the_person_by_personnummer_in_any_form(cast, numbered, written):
    response = search(cast.case_worker, written)
    assert numbered.full_name in response.content.decode()


def test_a_worker_from_another_district_finds_nobody(cast, numbered):
    for q in [numbered.first_name, "19811228-9874"]:
        response = search(cast.other_district_worker, q)
        assert numbered.full_name not in response.content.decode()
        assert "Ingen person som du har tillgång till" in response.content.decode()


def test_every_word_must_match_a_name(cast):
    other = PersonFactory(first_name="Ingrid", last_name="Zzyzx")
    case_with_team(cast.sodermalm, cast.case_worker, person=other)
    html = search(cast.case_worker, "Ingrid Zzyzx").content.decode()
    assert "Ingrid Zzyzx" in html
    html = search(cast.case_worker, "Ingrid Nonexistentname").content.decode()
    assert "Ingrid Zzyzx" not in html


def test_the_search_is_a_post_so_the_number_never_lands_in_a_url(cast, numbered):
    client = signed_in(cast.case_worker)
    # The same number that a POST finds ...
    assert numbered.full_name in client.post(reverse("search"), {"q": "19811228-9874"}).text
    # ... finds nothing when it is put in the query string, so no link or log ever carries it.
    response = client.get(reverse("search"), {"q": "19811228-9874"})
    assert response.status_code == 200
    assert numbered.full_name not in response.text


def test_a_search_is_audited_with_the_persons_shown_but_not_the_query(cast, numbered):
    search(cast.case_worker, "19811228-9874")
    event = AuditEvent.objects.get(action=Action.SEARCH)
    assert event.detail["persons"] == [numbered.pk]
    assert "19811228" not in str(event.detail) and "198112289874" not in event.path


def test_a_too_short_search_gets_a_swedish_message(cast):
    response = search(cast.case_worker, "a")
    assert "Skriv minst två tecken." in response.content.decode()


def test_an_administrator_may_not_search(cast):
    assert search(cast.administrator, "Anna").status_code == 404


def test_an_empty_search_is_answered_with_a_message_not_a_blank_form(cast):
    response = signed_in(cast.case_worker).post(reverse("search"), {})
    assert "Skriv ett namn eller ett personnummer." in response.content.decode()
