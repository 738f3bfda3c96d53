"""Four eyes on roles that open cases (issue 14, decision 0021).

An administrator asks; the role takes effect only when a second person approves: the manager
of the role's unit or another administrator, never the one who asked and never the account
that would get the role.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.organisation import accounts_services
from brygga.organisation.models import Membership, Role, RoleRequest, User
from tests.conftest import signed_in
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

PASSPHRASE = "bryggan-vid-sjön-bär-tre-blå-båtar"


@pytest.fixture
def second_administrator(cast) -> User:
    return staff_member(Role.ADMINISTRATOR, None, username="second_administrator")


def ask_for_role(client, account: User, role: str, unit) -> None:
    client.post(
        reverse("account_membership_add", args=[account.pk]),
        {"membership-role": role, "membership-unit": unit.pk if unit else ""},
    )


def decide(client, role_request: RoleRequest, decision: str = "approve"):
    return client.post(
        reverse("role_request_decide", args=[role_request.pk]), {"decision": decision}
    )


def test_a_lone_administrator_cannot_reach_a_case_through_a_second_account(
    cast, second_administrator
):
    """The review's attack path: create an account, make it manager of the owning unit."""
    administrator = signed_in(cast.administrator)
    administrator.post(
        reverse("account_new"),
        {
            "username": "andra.kontot",
            "first_name": "Alva",
            "last_name": "Andersson",
            "email": "",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )
    second_account = User.objects.get(username="andra.kontot")
    ask_for_role(administrator, second_account, Role.MANAGER, cast.sodermalm)

    role_request = RoleRequest.objects.get(user=second_account)
    assert role_request.status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=second_account).exists()
    case_url = reverse("case_detail", args=[cast.case.pk])
    name = cast.case.person.full_name
    as_second_account = signed_in(second_account)
    pending_page = as_second_account.get(case_url)
    assert pending_page.status_code == 404
    assert name not in pending_page.content.decode()
    assert name in signed_in(cast.unit_manager).get(case_url).content.decode()  # it is there

    # The one who asked cannot approve: the request does not exist for them.
    assert decide(administrator, role_request).status_code == 404
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING

    assert decide(signed_in(second_administrator), role_request).status_code == 302
    approved = as_second_account.get(case_url)
    assert approved.status_code == 200
    assert name in approved.content.decode()


def test_the_unit_manager_approves_a_role_in_her_unit_and_another_district_cannot(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    role_request = RoleRequest.objects.get(user=cast.colleague)

    other_queue = signed_in(cast.other_district_manager).get(reverse("role_request_queue"))
    assert "Inga rollbegäranden väntar på dig" in other_queue.content.decode()
    assert cast.colleague.username not in other_queue.content.decode()
    assert decide(signed_in(cast.other_district_manager), role_request).status_code == 404

    manager = signed_in(cast.unit_manager)
    queue = manager.get(reverse("role_request_queue")).content.decode()
    assert cast.colleague.username in queue
    assert "Enhetschef" in queue
    decide(manager, role_request)
    membership = Membership.objects.get(user=cast.colleague, role=Role.MANAGER)
    assert membership.approved_by == cast.unit_manager
    assert membership.approved_at is not None


def test_nobody_approves_a_request_that_gives_themselves_a_role(cast, second_administrator):
    ask_for_role(signed_in(cast.administrator), cast.unit_manager, Role.WORKER, cast.sodermalm)
    role_request = RoleRequest.objects.get(user=cast.unit_manager)

    own = signed_in(cast.unit_manager)
    queue = own.get(reverse("role_request_queue")).content.decode()
    assert "Inga rollbegäranden väntar på dig" in queue
    assert decide(own, role_request).status_code == 404
    assert not Membership.objects.filter(user=cast.unit_manager, role=Role.WORKER).exists()

    decide(signed_in(second_administrator), role_request)
    assert Membership.objects.filter(user=cast.unit_manager, role=Role.WORKER).exists()


def test_a_second_administrator_needs_approval_too(cast, second_administrator):
    """Otherwise a lone administrator would make a second one to approve her own requests."""
    new_account = staff_member(Role.STATISTICIAN, None, username="blivande_admin")
    ask_for_role(signed_in(cast.administrator), new_account, Role.ADMINISTRATOR, None)
    assert not Membership.objects.filter(user=new_account, role=Role.ADMINISTRATOR).exists()
    role_request = RoleRequest.objects.get(user=new_account)
    decide(signed_in(second_administrator), role_request)
    assert Membership.objects.filter(user=new_account, role=Role.ADMINISTRATOR).exists()


def test_a_role_without_case_access_takes_effect_at_once(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.STATISTICIAN, None)
    assert Membership.objects.filter(user=cast.colleague, role=Role.STATISTICIAN).exists()
    assert not RoleRequest.objects.filter(user=cast.colleague).exists()


def test_rejecting_drops_the_role_and_every_step_is_audited(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    role_request = RoleRequest.objects.get(user=cast.colleague)
    decide(signed_in(cast.unit_manager), role_request, "reject")

    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.REJECTED
    assert role_request.decided_by == cast.unit_manager
    assert not Membership.objects.filter(user=cast.colleague, role=Role.MANAGER).exists()
    events = AuditEvent.objects.filter(object_id=str(cast.colleague.pk)).order_by("pk")
    requested, rejected = events
    assert requested.user_id == cast.administrator.pk
    assert requested.detail["role_requested"] == {"role": "manager", "unit": cast.sodermalm.pk}
    assert rejected.user_id == cast.unit_manager.pk
    assert rejected.detail["role_rejected"] == {"role": "manager", "unit": cast.sodermalm.pk}
    assert rejected.detail["requested_by"] == cast.administrator.pk
    # A decided request is gone from the queue.
    assert decide(signed_in(cast.unit_manager), role_request, "approve").status_code == 404


def test_an_approval_is_audited_with_who_asked(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    decide(signed_in(cast.unit_manager), RoleRequest.objects.get(user=cast.colleague))
    approved = AuditEvent.objects.get(detail__has_key="role_approved")
    assert approved.user_id == cast.unit_manager.pk
    assert approved.detail["requested_by"] == cast.administrator.pk
    assert approved.object_id == str(cast.colleague.pk)


def test_a_decision_that_is_neither_approve_nor_reject_changes_nothing(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    role_request = RoleRequest.objects.get(user=cast.colleague)
    manager = signed_in(cast.unit_manager)
    response = decide(manager, role_request, "kanske")
    assert response.status_code == 302
    page = manager.get(response["Location"]).content.decode()
    assert "Välj godkänn eller avslå." in page
    assert cast.colleague.username in page  # still waiting
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING


def test_asking_twice_for_the_same_role_gives_a_field_error(cast):
    client = signed_in(cast.administrator)
    ask_for_role(client, cast.colleague, Role.MANAGER, cast.sodermalm)
    response = client.post(
        reverse("account_membership_add", args=[cast.colleague.pk]),
        {"membership-role": Role.MANAGER, "membership-unit": cast.sodermalm.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "field__error" in html
    assert "Den rollen väntar redan på godkännande." in html
    assert RoleRequest.objects.filter(user=cast.colleague).count() == 1


def test_the_account_page_shows_the_role_waiting_for_approval(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    page = signed_in(cast.administrator).get(reverse("account_detail", args=[cast.colleague.pk]))
    html = page.content.decode()
    assert "Väntar på godkännande" in html
    assert "Enhetschef" in html


def test_nobody_without_a_deciding_role_reaches_the_queue(cast):
    ask_for_role(signed_in(cast.administrator), cast.colleague, Role.MANAGER, cast.sodermalm)
    role_request = RoleRequest.objects.get(user=cast.colleague)
    worker = signed_in(cast.case_worker)
    assert worker.get(reverse("role_request_queue")).status_code == 404
    assert decide(worker, role_request).status_code == 404
    assert signed_in(cast.unit_manager).get(reverse("role_request_queue")).status_code == 200


def test_the_database_refuses_a_decision_by_the_requester(cast):
    role_request = RoleRequest.objects.create(
        user=cast.colleague, role=Role.MANAGER, unit=cast.sodermalm, requested_by=cast.administrator
    )
    role_request.decided_by = cast.administrator
    with pytest.raises(IntegrityError), transaction.atomic():
        role_request.save()
    role_request.decided_by = cast.unit_manager
    role_request.save()  # a second person is fine


def test_the_service_never_grants_a_case_role_without_approval(cast, rf):
    request = rf.post("/")
    request.user = cast.administrator
    with pytest.raises(accounts_services.ApprovalNeeded):
        accounts_services.add_membership(request, cast.colleague, Role.MANAGER, cast.sodermalm)
    assert not Membership.objects.filter(user=cast.colleague, role=Role.MANAGER).exists()
    accounts_services.add_membership(request, cast.colleague, Role.NETWORK, None)
    assert Membership.objects.filter(user=cast.colleague, role=Role.NETWORK).exists()


def test_the_queue_runs_constant_queries(cast, second_administrator):
    administrator = signed_in(cast.administrator)
    ask_for_role(administrator, cast.colleague, Role.MANAGER, cast.sodermalm)
    client = signed_in(second_administrator)
    url = reverse("role_request_queue")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        ask_for_role(
            administrator, staff_member(Role.STATISTICIAN, None), Role.WORKER, cast.rinkeby
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count('value="approve"') == 6
    assert len(many) == len(few)


def test_the_account_page_runs_constant_queries_with_pending_roles(cast):
    client = signed_in(cast.administrator)
    url = reverse("account_detail", args=[cast.colleague.pk])
    ask_for_role(client, cast.colleague, Role.MANAGER, cast.sodermalm)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ask_for_role(client, cast.colleague, Role.MANAGER, cast.rinkeby)
    ask_for_role(client, cast.colleague, Role.HOUSING_SUPPORT, cast.rinkeby)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("Boendestödjare") >= 1
    assert len(many) == len(few)
