"""Identity numbers at their edges: impossible dates with a valid check digit, the century
sign, samordningsnummer in both lengths, birth today, and two different people."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.people.identity import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    InvalidIdentityNumber,
    blind_index,
    parse_identity_number,
)
from brygga.people.models import Person
from tests.conftest import signed_in

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    "written",
    [
        "811328-9873",  # month 13, check digit right
        "810230-9872",  # 30 February, check digit right
        "19811292-9875",  # samordningsnummer: day 92 - 60 = 32
    ],
)
def test_a_valid_check_digit_on_an_impossible_date_is_refused_for_its_date(written):
    with pytest.raises(InvalidIdentityNumber) as refused:
        parse_identity_number(written, today=TODAY)
    assert str(refused.value) == "date"


def test_a_ten_digit_samordningsnummer_gets_its_century_and_keeps_its_day():
    number = parse_identity_number("900161-3240", today=TODAY)
    assert number.kind == SAMORDNINGSNUMMER
    assert number.digits == "199001613240"
    assert number.birth_date == datetime.date(1990, 1, 1)
    assert number.display == "19900161-3240"


def test_the_plus_sign_means_a_hundred_years_or_more():
    number = parse_identity_number("811228+9874", today=TODAY)
    assert number.kind == PERSONNUMMER
    assert number.birth_date == datetime.date(1881, 12, 28)
    assert number.digits == "188112289874"


def test_someone_born_today_can_be_registered_but_not_someone_born_tomorrow():
    assert parse_identity_number("20261128-0005", today=TODAY).birth_date == TODAY
    with pytest.raises(InvalidIdentityNumber) as refused:
        parse_identity_number("20261128-0005", today=TODAY - datetime.timedelta(days=1))
    assert str(refused.value) == "future"


def test_a_twelve_digit_number_with_letters_or_the_wrong_length_is_a_format_error():
    for written in ("1981122898740", "811228-98", "198112x89874"):
        with pytest.raises(InvalidIdentityNumber) as refused:
            parse_identity_number(written, today=TODAY)
        assert str(refused.value) == "format"


def test_two_different_numbers_never_share_a_blind_index():
    assert blind_index("198112289874") != blind_index("199001613240")
    assert blind_index("198112289874") == blind_index("198112289874")


def registration(cast, first_name, number):
    return {
        "person-first_name": first_name,
        "person-last_name": "Fiktivsson",
        "person-identity_input": number,
        "person-gender": "woman",
        "person-birth_year": number[:4],
        "person-protection_level": "none",
        "person-accompanying_children": "0",
        "case-owning_unit": str(cast.sodermalm.pk),
        "case-responsible": str(cast.case_worker.pk),
        "case-opened_on": "2026-11-01",
    }


@pytest.mark.django_db
def test_two_people_with_different_numbers_are_both_registered_and_found_apart(cast):
    client = signed_in(cast.case_worker)
    first = client.post(reverse("open_case"), registration(cast, "Alfa", "19811228-9874"))
    second = client.post(reverse("open_case"), registration(cast, "Beta", "19900161-3240"))
    assert (first.status_code, second.status_code) == (302, 302)
    assert Person.objects.filter(last_name="Fiktivsson").count() == 2

    found = client.post(reverse("search"), {"q": "19900161-3240"}).text
    assert "Beta Fiktivsson" in found
    assert "Alfa Fiktivsson" not in found
