import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from tests.conftest import signed_in
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db


def test_the_case_worker_sees_their_case_on_the_start_page(cast):
    html = signed_in(cast.case_worker).get(reverse("start")).content.decode()
    assert cast.case.person.full_name in html


def test_a_worker_from_another_district_does_not_see_it(cast):
    own = case_with_team(cast.rinkeby, cast.other_district_worker)
    html = signed_in(cast.other_district_worker).get(reverse("start")).content.decode()
    assert own.person.full_name in html
    assert cast.case.person.full_name not in html


def test_the_unit_manager_sees_every_case_of_the_unit(cast):
    other = case_with_team(cast.sodermalm, cast.colleague)
    html = signed_in(cast.unit_manager).get(reverse("start")).content.decode()
    assert cast.case.person.full_name in html and other.person.full_name in html


def test_the_administrator_sees_no_case_content(cast):
    response = signed_in(cast.administrator).get(reverse("start"))
    assert response.status_code == 200 and "Mina ärenden" in response.text
    assert cast.case.person.full_name not in response.text


def test_the_start_page_logs_whose_names_it_showed(cast):
    signed_in(cast.case_worker).get(reverse("start"))
    event = AuditEvent.objects.get(action=Action.VIEW, user_id=cast.case_worker.pk)
    assert event.detail["persons"] == [cast.case.person_id]
