"""Emergency access (nödåtkomst): a reason, a time limit, an audit event, a manager's review."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brygga.access import policy
from brygga.access.models import EmergencyAccess
from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import Municipality
from tests.conftest import signed_in
from tests.factories import AdministrationFactory, Role, UnitFactory, case_with_team, staff_member

pytestmark = pytest.mark.django_db

REASON = "Ansvarig sjuk, personen ringde om akut hot i kväll"


def open_with_emergency(client, case_number, reason=REASON):
    return client.post(reverse("emergency_access"), {"case_number": case_number, "reason": reason})


def case_url(case):
    return reverse("case_detail", args=[case.pk])


def test_a_worker_from_another_district_opens_the_case_after_stating_a_reason(cast):
    client = signed_in(cast.other_district_worker)
    assert client.get(case_url(cast.case)).status_code == 404
    response = open_with_emergency(client, cast.case.pk)
    assert response.status_code == 302
    assert response.url == case_url(cast.case)
    assert client.get(case_url(cast.case)).status_code == 200


def test_emergency_access_is_audited_with_the_reason(cast):
    open_with_emergency(signed_in(cast.colleague), cast.case.pk)
    event = AuditEvent.objects.get(action=Action.EMERGENCY_ACCESS)
    assert event.reason == REASON
    assert event.user_id == cast.colleague.pk
    assert event.person_id == cast.case.person_id
    assert event.detail["granted"] is True


def test_emergency_access_lasts_the_configured_hours(cast, settings):
    settings.EMERGENCY_ACCESS_HOURS = 4
    open_with_emergency(signed_in(cast.colleague), cast.case.pk)
    access = EmergencyAccess.objects.get()
    assert access.expires_at - access.started_at == pytest.approx(
        datetime.timedelta(hours=4), abs=datetime.timedelta(seconds=5)
    )


def test_after_expiry_the_case_is_not_found_again(cast):
    client = signed_in(cast.colleague)
    open_with_emergency(client, cast.case.pk)
    EmergencyAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(case_url(cast.case)).status_code == 404
    assert not policy.visible_cases(cast.colleague).filter(pk=cast.case.pk).exists()


def test_emergency_access_gives_read_not_change(cast):
    client = signed_in(cast.colleague)
    open_with_emergency(client, cast.case.pk)
    assert client.get(reverse("edit_person", args=[cast.case.pk])).status_code == 404
    assert client.get(reverse("case_team", args=[cast.case.pk])).status_code == 404


def test_a_short_reason_is_refused_next_to_the_field(cast):
    response = open_with_emergency(signed_in(cast.colleague), cast.case.pk, reason="behöver")
    assert response.status_code == 200
    assert "minst 20 tecken" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_a_reason_of_only_spaces_is_refused(cast):
    response = open_with_emergency(signed_in(cast.colleague), cast.case.pk, reason=" " * 40)
    assert "Ange ett skäl" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_a_junk_case_number_gets_a_message_not_an_error(cast):
    response = open_with_emergency(signed_in(cast.colleague), "12; DROP TABLE")
    assert response.status_code == 200
    assert "bara av siffror" in response.content.decode()


def main_without_token(response, case_number):
    html = response.content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(f'value="{case_number}"', 'value="N"')


def test_a_case_in_another_municipality_looks_exactly_like_a_missing_case(cast):
    other = Municipality.objects.create(name="Göteborgs stad", code="1480")
    far_unit = UnitFactory(administration=AdministrationFactory(municipality=other))
    far_case = case_with_team(far_unit, staff_member(Role.WORKER, far_unit))
    client = signed_in(cast.other_district_worker)
    elsewhere = open_with_emergency(client, far_case.pk)
    missing = open_with_emergency(client, far_case.pk + 1000)
    assert elsewhere.status_code == missing.status_code == 200
    assert "inget ärende med det numret" in elsewhere.content.decode()
    assert main_without_token(elsewhere, far_case.pk) == main_without_token(
        missing, far_case.pk + 1000
    )
    assert not EmergencyAccess.objects.exists()
    assert client.get(case_url(far_case)).status_code == 404


def test_a_refused_attempt_is_audited_too(cast):
    open_with_emergency(signed_in(cast.colleague), cast.case.pk + 1000)
    event = AuditEvent.objects.get(action=Action.EMERGENCY_ACCESS)
    assert event.detail == {"granted": False, "case_number": cast.case.pk + 1000}


@pytest.mark.parametrize("persona", ["administrator"])
def test_non_caseworkers_have_no_emergency_page(cast, persona):
    client = signed_in(getattr(cast, persona))
    assert client.get(reverse("emergency_access")).status_code == 404
    assert open_with_emergency(client, cast.case.pk).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_a_team_member_is_sent_straight_to_the_case_without_an_emergency_entry(cast):
    response = open_with_emergency(signed_in(cast.case_worker), cast.case.pk)
    assert response.status_code == 302
    assert not EmergencyAccess.objects.exists()


def test_the_owning_unit_manager_reviews_and_acknowledges(cast):
    open_with_emergency(signed_in(cast.other_district_worker), cast.case.pk)
    access = EmergencyAccess.objects.get()
    manager = signed_in(cast.unit_manager)
    html = manager.get(reverse("emergency_review")).content.decode()
    assert REASON in html
    response = manager.post(reverse("acknowledge_emergency_access", args=[access.pk]))
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.acknowledged_by == cast.unit_manager
    assert access.acknowledged_at is not None
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="access.EmergencyAccess"
    ).exists()


def test_a_manager_of_another_district_neither_sees_nor_acknowledges_it(cast):
    open_with_emergency(signed_in(cast.colleague), cast.case.pk)
    access = EmergencyAccess.objects.get()
    manager = signed_in(cast.other_district_manager)
    assert REASON not in manager.get(reverse("emergency_review")).content.decode()
    response = manager.post(reverse("acknowledge_emergency_access", args=[access.pk]))
    assert response.status_code == 404
    access.refresh_from_db()
    assert access.acknowledged_at is None


def test_a_worker_has_no_review_page(cast):
    assert signed_in(cast.case_worker).get(reverse("emergency_review")).status_code == 404


def test_the_review_list_runs_constant_queries(cast):
    manager = signed_in(cast.unit_manager)
    url = reverse("emergency_review")
    EmergencyAccess.objects.create(user=cast.colleague, case=cast.case, reason=REASON)
    manager.get(url)
    with CaptureQueriesContext(connection) as few:
        manager.get(url)
    for _ in range(5):
        case = case_with_team(cast.sodermalm, cast.case_worker)
        EmergencyAccess.objects.create(user=cast.other_district_worker, case=case, reason=REASON)
    with CaptureQueriesContext(connection) as many:
        manager.get(url)
    assert len(many) == len(few)


def test_visible_cases_stays_one_query_with_emergency_access(cast, django_assert_num_queries):
    EmergencyAccess.objects.create(user=cast.colleague, case=cast.case, reason=REASON)
    from brygga.organisation.roles import memberships

    memberships(cast.colleague)
    with django_assert_num_queries(1):
        assert list(policy.visible_cases(cast.colleague)) == [cast.case]
