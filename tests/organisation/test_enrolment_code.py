"""A new account's first login needs an enrolment code handed over out of band (issue 14).

Whoever has the password alone must not be able to enrol an authenticator: the administrator
who created the account (or reset its second factor) is shown a one-time code once and hands
it over; only its keyed hash is stored.
"""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.enrolment import issue_code
from brygga.organisation.models import EnrolmentCode, User
from tests.conftest import signed_in
from tests.organisation.conftest import code_for, log_in_with_password

pytestmark = pytest.mark.django_db

CODE_PAGE = "/logga-in/registreringskod/"
ENROL_PAGE = "/logga-in/aktivera/"
PASSPHRASE = "bryggan-vid-sjön-bär-tre-blå-båtar"


def code_on(response, client: Client) -> str:
    """The code on the page the administrator is sent to after issuing it."""
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    start = html.index('<p class="enrolment-code"><strong>') + len(
        '<p class="enrolment-code"><strong>'
    )
    return html[start : html.index("</strong>", start)]


def test_the_password_alone_does_not_reach_enrolment(client: Client, worker: User) -> None:
    issue_code(None, worker)
    log_in_with_password(client, worker.username)
    response = client.get(ENROL_PAGE)
    assert response["Location"] == CODE_PAGE
    assert "Ange din registreringskod" in client.get(CODE_PAGE).content.decode()
    assert not TOTPDevice.objects.filter(user=worker).exists()  # no secret was handed out
    assert client.get("/").status_code == 302


def test_a_new_account_enrols_with_the_code_shown_once_to_the_administrator(cast) -> None:
    administrator = signed_in(cast.administrator)
    page = administrator.post(
        reverse("account_new"),
        {
            "username": "ny.kollega",
            "first_name": "Nils",
            "last_name": "Nyström",
            "email": "",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )
    code = code_on(page, administrator)
    assert len(code) == 14  # XXXX-XXXX-XXXX
    shown_again = administrator.get(page["Location"]).content.decode()
    assert "Koden har redan visats" in shown_again
    assert code not in shown_again
    account = User.objects.get(username="ny.kollega")
    stored = EnrolmentCode.objects.get(user=account)
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    assert code not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
    # The account page never shows it again.
    detail = signed_in(cast.administrator).get(reverse("account_detail", args=[account.pk]))
    assert "ny.kollega" in detail.content.decode()
    assert code not in detail.content.decode()

    client = Client()
    client.post("/logga-in/", {"username": "ny.kollega", "password": PASSPHRASE})
    response = client.post(CODE_PAGE, {"code": code.lower().replace("-", " ")})
    assert response["Location"] == ENROL_PAGE
    assert "<svg" in client.get(ENROL_PAGE).content.decode()
    device = TOTPDevice.objects.get(user=account)
    assert client.post(ENROL_PAGE, {"token": code_for(device)})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_code_works_once(worker: User) -> None:
    code = issue_code(None, worker)
    first = Client()
    log_in_with_password(first, worker.username)
    assert first.post(CODE_PAGE, {"code": code})["Location"] == ENROL_PAGE
    second = Client()
    log_in_with_password(second, worker.username)
    response = second.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "Koden stämmer inte, har redan använts eller har gått ut" in response.content.decode()
    assert second.get(ENROL_PAGE)["Location"] == CODE_PAGE


def test_an_expired_code_is_refused(client: Client, worker: User) -> None:
    code = issue_code(None, worker)
    EnrolmentCode.objects.filter(user=worker).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    log_in_with_password(client, worker.username)
    response = client.post(CODE_PAGE, {"code": code})
    assert "har gått ut" in response.content.decode()
    assert client.get(ENROL_PAGE)["Location"] == CODE_PAGE


@override_settings(AXES_FAILURE_LIMIT=50)  # the code's own limit, not the account lockout
def test_too_many_wrong_codes_spend_the_code_and_each_is_audited(
    client: Client, worker: User
) -> None:
    code = issue_code(None, worker)
    log_in_with_password(client, worker.username)
    for _ in range(5):
        client.post(CODE_PAGE, {"code": "AAAA-BBBB-CCCC"})
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    failures = AuditEvent.objects.filter(
        user_id=worker.pk, action=Action.SECOND_FACTOR_FAILED, detail__step="enrolment_code"
    )
    assert failures.count() == 6
    # A fresh code from the administrator works.
    fresh = issue_code(None, worker)
    assert client.post(CODE_PAGE, {"code": fresh})["Location"] == ENROL_PAGE


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(
    client: Client, worker: User
) -> None:
    code = issue_code(None, worker)
    log_in_with_password(client, worker.username)
    answers = [client.post(CODE_PAGE, {"code": "AAAA-BBBB-CCCC"}).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # django-axes' limit, as for passwords
    assert client.post(CODE_PAGE, {"code": code}).status_code == 429
    again = log_in_with_password(Client(), worker.username)
    assert again.status_code == 429


@override_settings(LOGIN_IP_FAILURE_LIMIT=3)
def test_wrong_codes_count_towards_the_limit_per_address(client: Client, worker: User) -> None:
    code = issue_code(None, worker)
    log_in_with_password(client, worker.username)
    for _ in range(3):
        assert client.post(CODE_PAGE, {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    locked = client.post(CODE_PAGE, {"code": code})
    assert locked.status_code == 429
    assert client.get(ENROL_PAGE)["Location"] == CODE_PAGE


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Ange registreringskoden."), ("X" * 500, "Registreringskoden är tolv tecken.")],
)
def test_a_missing_or_oversize_code_gives_a_swedish_field_error(
    client: Client, worker: User, value: str, message: str
) -> None:
    issue_code(None, worker)
    log_in_with_password(client, worker.username)
    response = client.post(CODE_PAGE, {"code": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "field__error" in html
    assert message in html


def test_resetting_the_second_factor_issues_a_new_code_and_ends_the_old(cast) -> None:
    old = issue_code(None, cast.colleague)
    TOTPDevice.objects.create(user=cast.colleague, name="telefon", confirmed=True)
    administrator = signed_in(cast.administrator)
    page = administrator.post(reverse("account_reset_second_factor", args=[cast.colleague.pk]))
    new = code_on(page, administrator)
    assert new != old
    client = Client()
    log_in_with_password(client, cast.colleague.username)
    assert client.post(CODE_PAGE, {"code": old}).status_code == 200  # refused
    assert client.post(CODE_PAGE, {"code": new})["Location"] == ENROL_PAGE
    issued = AuditEvent.objects.filter(detail__has_key="enrolment_code_issued")
    assert issued.filter(user_id=cast.administrator.pk).count() == 1


def test_an_enrolled_user_never_sees_the_code_page(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, _ = enrolled_worker
    log_in_with_password(client, user.username)
    response = client.get(CODE_PAGE)
    assert response["Location"] == "/logga-in/kod/"
    assert "Ange engångskoden" in client.get("/logga-in/kod/").content.decode()
