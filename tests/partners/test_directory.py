"""The directory: the worker finds organisations by need area, district and language, and the
organisation's page shows its change history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.partners.models import OfferKind
from brygga.support.areas import NeedArea
from tests.conftest import signed_in
from tests.partners.conftest import organisation
from tests.partners.test_forms_bad_input import organisation_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(cast):
    """A legal-advice organisation in Södermalm speaking Arabic, a language café in Rinkeby
    speaking Somali, and a city-wide employment project speaking Swedish only."""
    legal = organisation(
        "Juridisk rådgivning Söder (fiktiv)",
        offers=[(OfferKind.LEGAL_ADVICE, NeedArea.ECONOMY)],
        languages="svenska, arabiska",
    )
    legal.districts.set([cast.sodermalm.administration])
    cafe = organisation(
        "Språkcafé Rinkeby (fiktiv)",
        offers=[(OfferKind.LANGUAGE_CAFE, NeedArea.SOCIAL)],
        languages="svenska, somaliska",
    )
    cafe.districts.set([cast.rinkeby.administration])
    organisation(
        "Jobbspåret i hela staden (fiktiv)",
        offers=[(OfferKind.EMPLOYMENT, NeedArea.OCCUPATION)],
    )
    return cast


NAMES = ("Juridisk rådgivning Söder", "Språkcafé Rinkeby", "Jobbspåret i hela staden")


def found(cast, **filters) -> list[str]:
    page = signed_in(cast.case_worker).get(reverse("partners:directory"), filters)
    assert page.status_code == 200
    body = page.content.decode()
    return [name for name in NAMES if name in body]


def test_without_filters_the_worker_sees_every_organisation(directory):
    assert found(directory) == list(NAMES)


def test_the_worker_filters_by_need_area(directory):
    assert found(directory, omrade=NeedArea.SOCIAL) == ["Språkcafé Rinkeby"]
    assert found(directory, omrade=NeedArea.OCCUPATION) == ["Jobbspåret i hela staden"]


def test_the_district_filter_keeps_that_districts_and_the_city_wide_organisations(directory):
    rinkeby = directory.rinkeby.administration.pk
    assert found(directory, stadsdel=rinkeby) == ["Språkcafé Rinkeby", "Jobbspåret i hela staden"]


def test_the_worker_filters_by_language_whatever_its_case(directory):
    assert found(directory, sprak="Somaliska") == ["Språkcafé Rinkeby"]
    assert found(directory, sprak="arabiska") == ["Juridisk rådgivning Söder"]


def test_filters_combine_and_a_match_of_none_says_so(directory):
    page = signed_in(directory.case_worker).get(
        reverse("partners:directory"), {"omrade": NeedArea.SOCIAL, "sprak": "arabiska"}
    )
    body = page.content.decode()
    assert "Inga organisationer matchar." in body
    assert not any(name in body for name in NAMES)


def test_an_unknown_filter_value_is_a_message_at_the_field_not_an_error(directory):
    page = signed_in(directory.case_worker).get(
        reverse("partners:directory"), {"omrade": "flygande mattor", "stadsdel": "Söder"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Välj ett behovsområde i listan." in body
    assert "Välj en stadsdel i listan." in body
    assert not any(name in body for name in NAMES)


def test_the_directory_runs_a_constant_number_of_queries(directory, django_assert_max_num_queries):
    for n in range(10):
        organisation(f"Förening {n} (fiktiv)").districts.set([directory.sodermalm.administration])
    client = signed_in(directory.case_worker)
    client.get(reverse("partners:directory"))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(reverse("partners:directory"), {"sprak": "svenska"})
    assert "Förening 9 (fiktiv)" in page.content.decode()


def test_every_change_to_an_organisation_is_in_its_change_history_in_swedish(cast, partners):
    client = signed_in(partners.coordinator)
    url = reverse("partners:organisation_edit", args=[partners.mentors.pk])
    data = organisation_data(cast, name=partners.mentors.name, languages="svenska, tigrinja")
    assert client.post(url, data | {"version": partners.mentors.version}).status_code == 302
    # The edit of the offers and the languages is saved (it was once a server error).
    kinds = sorted(o.kind for o in partners.mentors.offers.all())
    assert kinds == ["language_cafe", "mentoring"]
    page = client.get(reverse("partners:organisation", args=[partners.mentors.pk])).content.decode()
    history = page[page.index("Ändringshistorik") :]
    assert "Skapad" in history
    assert f"Ändrad ({partners.coordinator})" in history
    assert "Changed" not in history and "Created" not in history
