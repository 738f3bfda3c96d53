"""Whatever a client sends, Brygga answers with a form error or a 4xx, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Case
from tests.conftest import signed_in

FIELDS = [
    "person-first_name",
    "person-last_name",
    "person-identity_input",
    "person-gender",
    "person-birth_year",
    "person-protection_level",
    "person-accompanying_children",
    "case-owning_unit",
    "case-responsible",
    "case-opened_on",
]
junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "\x00", "1e9", "2026-02-30"]),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.dictionaries(st.sampled_from(FIELDS), junk))
def test_junk_in_the_open_case_form_never_gives_a_server_error(cast, data):
    cases_before = Case.objects.count()
    response = signed_in(cast.case_worker).post(reverse("open_case"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Case.objects.count() == cases_before


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=200))
def test_any_search_text_is_answered_without_a_server_error(cast, q):
    response = signed_in(cast.case_worker).post(reverse("search"), {"q": q})
    assert response.status_code in (200, 429)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/arenden/abc/", "/arenden/99999999999999999999999/", "/arenden/-1/", "/%00/"]
)
def test_malformed_urls_are_not_found(cast, path):
    assert signed_in(cast.case_worker).get(path).status_code == 404


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused_with_403(cast):
    from django.test import Client

    client = signed_in(cast.case_worker, Client(enforce_csrf_checks=True))
    response = client.post(reverse("search"), {"q": "Anna"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()
