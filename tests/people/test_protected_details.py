"""Protected details are masked everywhere; revealing is explicit, audited and needs a right."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.access.models import EmergencyAccess
from brygga.access.protection import ShieldedDetails, may_see_protected_details
from brygga.audit.models import Action, AuditEvent
from brygga.people.models import (
    MASK,
    AccessRequest,
    AccessRequestStatus,
    ProtectedDetails,
    ProtectedDetailsGrant,
    ProtectionLevel,
)
from tests.conftest import signed_in
from tests.factories import Role, case_with_team, staff_member

pytestmark = pytest.mark.django_db

ADDRESS = "Hemliga gatan 7, 123 45 Ingenstans"
WORKPLACE = "Bageriet på hörnet"
CODE_WORD = "Blåklocka"


@pytest.fixture
def details(cast):
    return ProtectedDetails.objects.create(
        person=cast.case.person,
        address=ADDRESS,
        phone="070-123 45 67",
        workplace=WORKPLACE,
        relatives="Fadern Ali",
        code_word=CODE_WORD,
    )


def page(client, name, cast):
    return client.get(reverse(name, args=[cast.case.pk])).content.decode()


def assert_nothing_protected_in(html):
    for secret in (ADDRESS, WORKPLACE, CODE_WORD, "070-123 45 67", "Fadern Ali"):
        assert secret not in html


def test_the_case_page_masks_protected_details_even_for_the_responsible_worker(cast, details):
    html = page(signed_in(cast.case_worker), "case_detail", cast)
    assert MASK in html
    assert "Visa skyddade uppgifter" in html
    assert_nothing_protected_in(html)


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "housing_support"])
def test_nobody_gets_a_protected_value_on_the_case_page(cast, details, persona):
    html = page(signed_in(getattr(cast, persona)), "case_detail", cast)
    # The page is the case itself (not a 404 that trivially holds no secret) ...
    assert cast.case.person.full_name in html and MASK in html
    # ... and still holds no protected value.
    assert_nothing_protected_in(html)


def test_the_responsible_worker_reveals_the_details_with_an_audited_click(cast, details):
    html = page(signed_in(cast.case_worker), "protected_details", cast)
    assert ADDRESS in html and CODE_WORD in html
    event = AuditEvent.objects.get(action=Action.VIEW, detail__protected=True)
    assert event.user_id == cast.case_worker.pk
    assert event.person_id == cast.case.person_id
    assert event.detail["revealed"] is True


@pytest.mark.parametrize("persona", ["unit_manager", "housing_support"])
def test_others_on_the_case_without_a_grant_still_see_the_mask(cast, details, persona):
    html = page(signed_in(getattr(cast, persona)), "protected_details", cast)
    assert MASK in html
    assert_nothing_protected_in(html)
    assert "Begär behörighet" in html


@pytest.mark.parametrize("persona", ["colleague", "other_district_worker", "administrator"])
def test_outsiders_get_not_found_on_the_protected_page(cast, details, persona):
    response = signed_in(getattr(cast, persona)).get(
        reverse("protected_details", args=[cast.case.pk])
    )
    assert response.status_code == 404
    assert_nothing_protected_in(response.content.decode())


def test_emergency_access_opens_the_case_but_not_the_protected_details(cast, details):
    EmergencyAccess.objects.create(user=cast.colleague, case=cast.case, reason="x" * 25)
    client = signed_in(cast.colleague)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    html = page(client, "protected_details", cast)
    assert_nothing_protected_in(html)


def test_a_person_never_protected_shows_the_details_to_the_whole_case_team(cast, details):
    person = cast.case.person
    # Never protected (a lowered level keeps the details behind a grant: decision 0022).
    type(person).objects.filter(pk=person.pk).update(
        protection_level=ProtectionLevel.NONE, ever_protected=False
    )
    html = page(signed_in(cast.housing_support), "case_detail", cast)
    assert ADDRESS in html
    assert MASK not in html


def test_a_request_approved_by_the_unit_manager_grants_the_details(cast, details):
    requester = signed_in(cast.housing_support)
    response = requester.post(
        reverse("request_protected_access", args=[cast.case.pk]),
        {"reason": "Ska följa med till bostadsvisning i morgon"},
    )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessRequestStatus.PENDING

    manager = signed_in(cast.unit_manager)
    listing = manager.get(reverse("access_requests")).content.decode()
    assert "Ska följa med till bostadsvisning" in listing
    manager.post(
        reverse("decide_access_request", args=[access_request.pk]), {"decision": "approve"}
    )

    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED
    assert ProtectedDetailsGrant.objects.filter(user=cast.housing_support).exists()
    assert ADDRESS in page(requester, "protected_details", cast)
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="people.AccessRequest", user_id=cast.unit_manager.pk
    ).exists()


def test_a_denied_request_grants_nothing(cast, details):
    access_request = AccessRequest.objects.create(
        case=cast.case, person=cast.case.person, requested_by=cast.housing_support, reason="r" * 25
    )
    signed_in(cast.unit_manager).post(
        reverse("decide_access_request", args=[access_request.pk]), {"decision": "deny"}
    )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.DENIED
    assert not may_see_protected_details(cast.housing_support, cast.case.person)


def test_a_short_reason_is_refused_with_a_message_next_to_the_field(cast, details):
    response = signed_in(cast.housing_support).post(
        reverse("request_protected_access", args=[cast.case.pk]), {"reason": "för kort"}
    )
    assert response.status_code == 400
    assert "minst 20 tecken" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_a_manager_of_another_district_cannot_decide_the_request(cast, details):
    access_request = AccessRequest.objects.create(
        case=cast.case, person=cast.case.person, requested_by=cast.housing_support, reason="r" * 25
    )
    response = signed_in(cast.other_district_manager).post(
        reverse("decide_access_request", args=[access_request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert not ProtectedDetailsGrant.objects.exists()


def test_a_manager_cannot_approve_their_own_request(cast, details):
    access_request = AccessRequest.objects.create(
        case=cast.case, person=cast.case.person, requested_by=cast.unit_manager, reason="r" * 25
    )
    signed_in(cast.unit_manager).post(
        reverse("decide_access_request", args=[access_request.pk]), {"decision": "approve"}
    )
    assert not ProtectedDetailsGrant.objects.exists()


def test_a_revoked_grant_no_longer_reveals(cast, details):
    from django.utils import timezone

    grant = ProtectedDetailsGrant.objects.create(
        person=cast.case.person, user=cast.unit_manager, granted_by=cast.case_worker, reason="r"
    )
    assert may_see_protected_details(cast.unit_manager, cast.case.person)
    grant.revoked_at = timezone.now()
    grant.save()
    assert not may_see_protected_details(cast.unit_manager, cast.case.person)


def test_a_grant_does_not_help_someone_who_cannot_see_the_case(cast, details):
    ProtectedDetailsGrant.objects.create(
        person=cast.case.person, user=cast.colleague, granted_by=cast.unit_manager, reason="r"
    )
    assert not may_see_protected_details(cast.colleague, cast.case.person)


def test_the_responsible_worker_edits_the_details_and_the_edit_is_versioned(cast, details):
    client = signed_in(cast.case_worker)
    url = reverse("edit_protected_details", args=[cast.case.pk])
    assert client.get(url).status_code == 200
    data = {name: getattr(details, name) or "" for name in ProtectedDetails.FIELDS}
    data.update(address="Ny adress 1", version=details.version)
    assert client.post(url, data).status_code == 302
    details.refresh_from_db()
    assert details.address == "Ny adress 1"
    assert details.version == 2
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="people.ProtectedDetails")
    assert event.detail == {"fields": ["address"]}
    assert "Ny adress" not in str(event.detail) + event.reason
    # A second save based on the old version is a conflict, not an overwrite.
    data.update(address="Gammal version", version=1)
    assert client.post(url, data).status_code == 409
    details.refresh_from_db()
    assert details.address == "Ny adress 1"


def test_the_first_edit_creates_the_details(cast):
    client = signed_in(cast.case_worker)
    url = reverse("edit_protected_details", args=[cast.case.pk])
    response = client.post(url, {"address": ADDRESS, "may_leave_message": "no", "version": 0})
    assert response.status_code == 302
    assert ProtectedDetails.objects.get(person=cast.case.person).address == ADDRESS


@pytest.mark.parametrize("persona", ["housing_support", "unit_manager", "colleague"])
def test_someone_without_a_right_to_reveal_cannot_open_the_edit_form(cast, details, persona):
    url = reverse("edit_protected_details", args=[cast.case.pk])
    assert signed_in(getattr(cast, persona)).get(url).status_code == 404


def test_a_history_row_keeps_the_old_value_encrypted(cast, details):
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM people_historicalprotecteddetails")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(ADDRESS not in value for value in stored)


def test_the_shield_masks_every_field_and_its_string(cast, details):
    shield = ShieldedDetails(cast.case.person, details, revealed=False)
    assert shield.address == MASK
    assert str(shield) == MASK
    assert all(f.value in ("", MASK) for f in shield.fields)
    assert ShieldedDetails(cast.case.person, details, revealed=True).address == ADDRESS


def test_str_and_repr_of_the_details_never_hold_a_value(details):
    assert ADDRESS not in str(details) and ADDRESS not in repr(details)


def test_the_case_page_runs_the_same_number_of_queries_with_more_grants(cast, details):
    client = signed_in(cast.case_worker)
    url = reverse("case_detail", args=[cast.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        other = staff_member(Role.WORKER, cast.sodermalm)
        ProtectedDetailsGrant.objects.create(
            person=cast.case.person, user=other, granted_by=cast.unit_manager, reason=str(n)
        )
        case_with_team(cast.sodermalm, other)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_request_list_runs_constant_queries(cast, details):
    client = signed_in(cast.unit_manager)
    url = reverse("access_requests")
    AccessRequest.objects.create(
        case=cast.case, person=cast.case.person, requested_by=cast.case_worker, reason="r" * 25
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        worker = staff_member(Role.WORKER, cast.sodermalm)
        case = case_with_team(cast.sodermalm, worker)
        AccessRequest.objects.create(
            case=case, person=case.person, requested_by=worker, reason="r" * 25
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_second_request_while_one_is_pending_is_not_created(cast, details):
    client = signed_in(cast.housing_support)
    url = reverse("request_protected_access", args=[cast.case.pk])
    client.post(url, {"reason": "Ska följa med till bostadsvisning i morgon"})
    client.post(url, {"reason": "Ska följa med till bostadsvisning i morgon igen"})
    assert AccessRequest.objects.count() == 1
