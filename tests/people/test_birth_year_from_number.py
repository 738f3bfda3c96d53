"""The birth year follows from a personnummer or samordningsnummer; it is asked only of a person
without one (issue 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.cases.models import Case
from brygga.people.models import Person
from tests.cases.test_open_case import valid_form
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def register(cast, **overrides):
    return signed_in(cast.case_worker).post(reverse("open_case"), valid_form(cast, **overrides))


def test_a_personnummer_gives_the_birth_year_without_asking(cast):
    response = register(cast, **{"person-birth_year": ""})
    assert response.status_code == 302
    assert Person.objects.get(last_name="Fiktivsson").birth_year == 1981


def test_a_samordningsnummer_gives_the_birth_year_too(cast):
    # Day 28 + 60: a samordningsnummer of someone born 1981-12-28.
    response = register(cast, **{"person-identity_input": "19811288-9871", "person-birth_year": ""})
    assert response.status_code == 302, response.text[:3000]
    assert Person.objects.get(last_name="Fiktivsson").birth_year == 1981


def test_without_a_number_the_birth_year_is_asked_for(cast):
    response = register(cast, **{"person-identity_input": "", "person-birth_year": ""})
    assert response.status_code == 200
    assert "Ange födelseår när personen saknar nummer." in response.text
    assert not Case.objects.exclude(pk=cast.case.pk).exists()


def test_without_a_number_a_given_birth_year_is_kept(cast):
    response = register(cast, **{"person-identity_input": "", "person-birth_year": "1975"})
    assert response.status_code == 302
    assert Person.objects.get(last_name="Fiktivsson").birth_year == 1975


def test_the_form_marks_the_birth_year_as_needed_only_without_a_number(cast):
    html = signed_in(cast.case_worker).get(reverse("open_case")).text
    assert "Behövs bara om personen saknar nummer." in html
    assert 'data-hidden-while-filled="id_person-identity_input"' in html
