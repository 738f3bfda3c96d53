"""Django's stock form messages read as plain Swedish (issue 12, decision 0040)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from brygga.people.models import ProtectedDetails
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    note = forms.CharField(max_length=100)
    children = forms.IntegerField(min_value=0)
    kind = forms.ChoiceField(choices=[("a", "A")])


def errors_in(language: str, **data: str) -> dict[str, list[str]]:
    with translation.override(language):
        form = Sample(data)
        form.is_valid()
        return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def test_a_too_long_text_says_how_much_to_write_not_som_mest():
    errors = errors_in("sv", note="x" * 10_000, children="1", kind="a")
    assert errors["note"] == ["Skriv högst 100 tecken. Nu är det 10000."]
    assert "som mest" not in str(errors)


def test_a_negative_number_asks_for_the_lowest_allowed():
    errors = errors_in("sv", note="x", children="-1", kind="a")
    assert errors["children"] == ["Ange 0 eller mer."]


def test_a_choice_not_in_the_list_does_not_echo_what_was_sent():
    errors = errors_in("sv", note="x", children="1", kind="9" * 40)
    assert errors["kind"] == ["Välj ett av alternativen i listan."]
    assert "9" * 40 not in str(errors)


def test_an_empty_required_field_asks_to_fill_it_in():
    assert errors_in("sv")["note"] == ["Fyll i det här fältet."]


def test_english_keeps_djangos_english():
    assert errors_in("en")["note"] == ["This field is required."]


def test_the_protected_details_labels_are_capitalised_like_every_other_label(cast):
    ProtectedDetails.objects.create(person=cast.case.person, address="Fiktiv gata 1")
    response = signed_in(cast.case_worker).get(f"/arenden/{cast.case.pk}/")
    text = response.text
    assert "<dt>Adress</dt>" in text and "<dt>Telefon</dt>" in text
    assert "<dt>adress</dt>" not in text
