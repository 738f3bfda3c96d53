"""Personnummer and samordningsnummer parsing, through python-stdnum."""

import datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from brygga.people.identity import InvalidIdentityNumber, blind_index, parse_identity_number

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    "written", ["811228-9874", "19811228-9874", "198112289874", " 811228 9874"]
)
def test_a_personnummer_is_read_in_every_common_form(written):
    number = parse_identity_number(written, today=TODAY)
    assert (number.kind, number.digits) == ("personnummer", "198112289874")
    assert number.birth_date == datetime.date(1981, 12, 28)


def test_a_samordningsnummer_has_sixty_added_to_the_day():
    number = parse_identity_number("19900161-3240", today=TODAY)
    assert number.kind == "samordningsnummer"
    assert number.birth_date == datetime.date(1990, 1, 1)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("811228-9875", "checksum"),
        ("hej", "format"),
        ("", "format"),
        ("811328-9876", "checksum"),
        ("20991228-9874", "future"),
    ],
)
def test_a_bad_number_is_refused_with_its_reason(written, reason):
    with pytest.raises(InvalidIdentityNumber, match=reason):
        parse_identity_number(written, today=TODAY)


@hypothesis_settings(deadline=None)
@given(st.text(max_size=30))
def test_any_text_either_parses_or_is_refused_cleanly(text):
    try:
        number = parse_identity_number(text, today=TODAY)
    except InvalidIdentityNumber:
        return
    assert len(number.digits) == 12 and number.digits.isdigit()


def test_the_blind_index_is_stable_and_reveals_nothing(settings):
    index = blind_index("198112289874")
    assert index == blind_index("198112289874")
    assert "198112289874" not in index and len(index) == 64
    settings.BLIND_INDEX_KEY = "another-key"
    assert blind_index("198112289874") != index
