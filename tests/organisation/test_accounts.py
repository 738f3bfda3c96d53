"""Administrators manage users, roles and memberships; they never see case content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import Membership, Role, User
from tests.conftest import signed_in
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

STRONG = "bryggan-vid-sjön-bär-tre-blå-båtar"


def new_user_data(**overrides):
    data = {
        "username": "ny.handlaggare",
        "first_name": "Nora",
        "last_name": "Nyberg",
        "email": "",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_user_and_the_change_is_audited(cast):
    response = signed_in(cast.administrator).post(reverse("account_new"), new_user_data())
    user = User.objects.get(username="ny.handlaggare")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_enrolment_code", args=[user.pk])
    assert user.check_password(STRONG)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="organisation.User")
    assert event.user_id == cast.administrator.pk
    assert STRONG not in str(event.detail)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "för kort"),
        ("123456789012345", "numeriskt"),
        ("qwertyuiopasdf", "för lätt att gissa"),
        ("nyberg.nyberg.1", "för lätt att gissa"),
        ("abcabcabcabc", "för lätt att gissa"),
    ],
)
def test_a_weak_password_is_refused_next_to_the_field(cast, password, message):
    response = signed_in(cast.administrator).post(
        reverse("account_new"), new_user_data(password1=password, password2=password)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "field__error" in html
    assert message in html
    assert not User.objects.filter(username="ny.handlaggare").exists()


def test_mismatched_passwords_are_refused(cast):
    response = signed_in(cast.administrator).post(
        reverse("account_new"), new_user_data(password2=STRONG + "x")
    )
    assert "Lösenorden är inte lika" in response.content.decode()


def test_an_administrator_adds_and_removes_a_unit_role(cast):
    """Adding waits for a second person (test_role_approval.py); removing takes effect at once."""
    client = signed_in(cast.administrator)
    account = cast.colleague
    client.post(
        reverse("account_membership_add", args=[account.pk]),
        {"membership-role": Role.MANAGER, "membership-unit": cast.rinkeby.pk},
    )
    assert not Membership.objects.filter(user=account, role=Role.MANAGER).exists()
    signed_in(cast.other_district_manager).post(
        reverse("role_request_decide", args=[account.role_requests.get().pk]),
        {"decision": "approve"},
    )
    membership = Membership.objects.get(user=account, role=Role.MANAGER)
    assert membership.unit == cast.rinkeby
    assert membership.approved_by == cast.other_district_manager
    client.post(reverse("account_membership_remove", args=[account.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # requested, approved, removed
    assert AuditEvent.objects.filter(object_id=str(account.pk), action=Action.UPDATE).count() == 3


def test_a_unit_role_without_a_unit_is_refused(cast):
    response = signed_in(cast.administrator).post(
        reverse("account_membership_add", args=[cast.colleague.pk]),
        {"membership-role": Role.WORKER, "membership-unit": ""},
    )
    assert response.status_code == 400
    assert "Välj enheten" in response.content.decode()


def test_a_user_is_deactivated_never_deleted(cast):
    client = signed_in(cast.administrator)
    client.post(reverse("account_set_active", args=[cast.colleague.pk]), {"active": "0"})
    cast.colleague.refresh_from_db()
    assert cast.colleague.is_active is False
    names = {pattern.name for pattern in _patterns()}
    assert not any("delete" in (name or "") or "radera" in (name or "") for name in names)


def test_an_administrator_cannot_deactivate_themselves(cast):
    signed_in(cast.administrator).post(
        reverse("account_set_active", args=[cast.administrator.pk]), {"active": "0"}
    )
    cast.administrator.refresh_from_db()
    assert cast.administrator.is_active


def test_resetting_the_second_factor_removes_the_users_devices(cast):
    TOTPDevice.objects.create(user=cast.colleague, name="telefon", confirmed=True)
    signed_in(cast.administrator).post(
        reverse("account_reset_second_factor", args=[cast.colleague.pk])
    )
    assert not TOTPDevice.objects.filter(user=cast.colleague).exists()
    assert AuditEvent.objects.filter(detail__second_factor_reset=1).exists()
    assert cast.colleague.enrolment_codes.filter(used_at__isnull=True).count() == 1


def test_editing_names_is_audited_with_the_field_names(cast):
    signed_in(cast.administrator).post(
        reverse("account_detail", args=[cast.colleague.pk]),
        {"names-first_name": "Ny", "names-last_name": "Namn", "names-email": ""},
    )
    cast.colleague.refresh_from_db()
    assert cast.colleague.get_full_name() == "Ny Namn"
    assert AuditEvent.objects.get(action=Action.UPDATE).detail == {
        "fields": ["first_name", "last_name"]
    }


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "other_district_manager"])
def test_nobody_but_an_administrator_reaches_the_account_pages(cast, persona):
    client = signed_in(getattr(cast, persona))
    assert client.get(reverse("account_list")).status_code == 404
    assert client.get(reverse("account_detail", args=[cast.colleague.pk])).status_code == 404
    client.post(reverse("account_set_active", args=[cast.colleague.pk]), {"active": "0"})
    cast.colleague.refresh_from_db()
    assert cast.colleague.is_active


def test_an_administrator_sees_no_case_content(cast):
    client = signed_in(cast.administrator)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 404
    search = client.post(reverse("search"), {"q": cast.case.person.last_name})
    assert search.status_code == 404 or cast.case.person.full_name not in search.content.decode()
    start = client.get(reverse("start")).content.decode()
    assert cast.case.person.full_name not in start


def test_the_user_list_runs_constant_queries(cast):
    client = signed_in(cast.administrator)
    url = reverse("account_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        staff_member(Role.WORKER, cast.sodermalm)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def _patterns():
    from tests.access.test_every_view_is_guarded import all_patterns

    return [pattern for _, pattern in all_patterns()]


def test_an_administrator_cannot_give_themselves_a_role_that_opens_cases(cast):
    response = signed_in(cast.administrator).post(
        reverse("account_membership_add", args=[cast.administrator.pk]),
        {"membership-role": Role.MANAGER, "membership-unit": cast.sodermalm.pk},
    )
    assert response.status_code == 400
    assert "Du kan inte ge dig själv" in response.content.decode()
    assert not Membership.objects.filter(user=cast.administrator, role=Role.MANAGER).exists()
