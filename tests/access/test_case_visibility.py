"""A case is shown only to its team and the managers of its owning unit; all others get 404."""

import re

import pytest
from django.urls import reverse

from brygga.access.policy import visible_cases
from brygga.audit.models import Action, AuditEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def case_url(cast):
    return reverse("case_detail", args=[cast.case.pk])


def test_the_case_worker_sees_the_case(cast):
    response = signed_in(cast.case_worker).get(case_url(cast))
    assert response.status_code == 200
    assert cast.case.person.full_name in response.content.decode()


def test_the_unit_manager_sees_the_case(cast):
    assert signed_in(cast.unit_manager).get(case_url(cast)).status_code == 200


def test_the_housing_support_worker_on_the_team_sees_the_case(cast):
    assert signed_in(cast.housing_support).get(case_url(cast)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["colleague", "other_district_worker", "other_district_manager", "administrator"]
)
def test_anyone_else_gets_not_found(cast, persona):
    response = signed_in(getattr(cast, persona)).get(case_url(cast))
    assert response.status_code == 404
    assert cast.case.person.full_name not in response.content.decode()


def test_no_access_looks_exactly_like_a_missing_case(cast):
    client = signed_in(cast.other_district_worker)
    forbidden = client.get(case_url(cast))
    missing = client.get(reverse("case_detail", args=[cast.case.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert main_content(forbidden) == main_content(missing)
    assert "nödåtkomst" in main_content(missing)  # both offer it, whether the case exists or not


def main_content(response):
    """The page's main content, the case number it was asked for left out."""
    html = response.content.decode()
    return re.sub(r"arende=\d+", "arende=N", html[html.index("<main") : html.index("</main>")])


def test_a_signed_out_visitor_is_sent_to_login(cast, client):
    response = client.get(case_url(cast))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_deactivated_worker_sees_nothing(cast):
    cast.case_worker.is_active = False
    cast.case_worker.save()
    assert not visible_cases(cast.case_worker).exists()


def test_opening_the_case_is_logged_with_whose_data_it_showed(cast):
    signed_in(cast.case_worker).get(case_url(cast))
    event = AuditEvent.objects.get(action=Action.VIEW, object_id=str(cast.case.pk))
    assert event.user_id == cast.case_worker.pk
    assert event.person_id == cast.case.person_id
    assert event.roles == f"worker@{cast.sodermalm.pk}"


def test_a_refused_case_is_not_logged_as_shown(cast):
    signed_in(cast.other_district_worker).get(case_url(cast))
    assert not AuditEvent.objects.filter(action=Action.VIEW, person_id=cast.case.person_id).exists()
