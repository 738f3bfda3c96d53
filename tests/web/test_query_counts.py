"""The start page and the case page run the same number of queries however many cases exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_the_start_page_does_not_grow_with_the_number_of_cases(cast, persona):
    client = signed_in(getattr(cast, persona))
    client.get(reverse("start"))  # warm the session
    few = queries_for(client, reverse("start"))
    for _ in range(15):
        case_with_team(cast.sodermalm, cast.case_worker)
    many = queries_for(client, reverse("start"))
    assert many == few
    assert many <= 30


def test_the_case_page_does_not_grow_with_the_number_of_cases(cast):
    client = signed_in(cast.case_worker)
    url = reverse("case_detail", args=[cast.case.pk])
    client.get(url)
    few = queries_for(client, url)
    for _ in range(15):
        case_with_team(cast.sodermalm, cast.case_worker)
    many = queries_for(client, url)
    assert many == few
    assert many <= 40
