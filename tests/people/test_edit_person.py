"""Editing a person: versioned, so two people editing never silently overwrite each other."""

import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def form_for(person, **overrides):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "identity_input": "",
        "gender": person.gender,
        "birth_year": str(person.birth_year),
        "protection_level": person.protection_level,
        "accompanying_children": "0",
        "version": str(person.version),
    }
    data.update(overrides)
    return data


def test_the_case_worker_changes_the_name_and_it_is_audited(cast):
    person = cast.case.person
    url = reverse("edit_person", args=[cast.case.pk])
    response = signed_in(cast.case_worker).post(url, form_for(person, first_name="Nyanamn"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.version) == ("Nyanamn", 2)
    event = AuditEvent.objects.get(action=Action.UPDATE, person_id=person.pk)
    assert event.detail == {"fields": ["first_name"]}


def test_a_stale_edit_gets_a_conflict_page_showing_both_versions(cast):
    person = cast.case.person
    url = reverse("edit_person", args=[cast.case.pk])
    stale = form_for(person, first_name="Mitt")
    signed_in(cast.unit_manager).post(url, form_for(person, first_name="Chefens"))
    response = signed_in(cast.case_worker).post(url, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Chefens" in html and "Mitt" in html
    person.refresh_from_db()
    assert person.first_name == "Chefens"


def test_housing_support_on_the_team_may_read_but_not_edit(cast):
    url = reverse("edit_person", args=[cast.case.pk])
    client = signed_in(cast.housing_support)
    assert client.get(url).status_code == 404
    assert client.post(url, form_for(cast.case.person, first_name="X")).status_code == 404


def test_a_worker_from_another_district_gets_not_found(cast):
    url = reverse("edit_person", args=[cast.case.pk])
    assert signed_in(cast.other_district_worker).get(url).status_code == 404


def test_an_empty_submission_shows_what_is_missing_and_changes_nothing(cast):
    person = cast.case.person
    response = signed_in(cast.case_worker).post(reverse("edit_person", args=[cast.case.pk]), {})
    assert response.status_code == 200
    assert "Ange förnamn." in response.content.decode()
    person.refresh_from_db()
    assert person.version == 1


def test_the_case_worker_may_raise_but_not_lower_the_protection_level(cast):
    person = cast.case.person  # sekretessmarkering
    url = reverse("edit_person", args=[cast.case.pk])
    client = signed_in(cast.case_worker)
    response = client.post(url, form_for(person, protection_level="none"))
    assert "Bara enhetschefen kan sänka skyddsnivån" in response.content.decode()
    person.refresh_from_db()
    assert person.protection_level == "sekretessmarkering"
    client.post(url, form_for(person, protection_level="skyddad_folkbokforing"))
    person.refresh_from_db()
    assert person.protection_level == "skyddad_folkbokforing"


def test_the_unit_manager_may_lower_the_protection_level(cast):
    person = cast.case.person
    url = reverse("edit_person", args=[cast.case.pk])
    signed_in(cast.unit_manager).post(
        url, form_for(person, protection_level="none", protection_reason="Skyddet är hävt.")
    )
    person.refresh_from_db()
    assert person.protection_level == "none"
