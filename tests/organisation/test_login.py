"""Logging in: username and password (Argon2), then a TOTP code from the authenticator app."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.organisation.models import User
from tests.conftest import Cast
from tests.organisation.conftest import (
    PASSWORD,
    code_for,
    give_enrolment_code,
    log_in_with_password,
    wrong_code_for,
)


def _session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_passwords_are_stored_with_argon2(worker: User) -> None:
    assert worker.password.startswith("argon2$")
    assert worker.check_password(PASSWORD)


def test_the_login_page_asks_for_username_and_password(client: Client, db: None) -> None:
    response = client.get("/logga-in/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "Logga in i Brygga" in html


def test_a_wrong_password_shows_a_swedish_error_and_signs_nobody_in(
    client: Client, worker: User
) -> None:
    response = log_in_with_password(client, worker.username, "fel-losenord-123456")
    assert response.status_code == 200
    assert "Användarnamnet eller lösenordet stämmer inte" in response.content.decode()
    assert _session_user_id(client) is None


def test_a_deactivated_account_cannot_log_in(client: Client, worker: User) -> None:
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    response = log_in_with_password(client, worker.username)
    assert response.status_code == 200
    assert _session_user_id(client) is None


def test_the_right_password_leads_to_the_code_page_not_the_start_page(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, _ = enrolled_worker
    response = log_in_with_password(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/kod/"
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/kod/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_until_the_code_is_given_no_other_page_is_reachable(
    client: Client, cast: Cast, method: str
) -> None:
    TOTPDevice.objects.create(user=cast.case_worker, name="Brygga", confirmed=True)
    log_in_with_password(client, cast.case_worker.username)
    for path in ["/", "/sok/", "/arenden/nytt/", f"/arenden/{cast.case.pk}/"]:
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/logga-in/kod/"), path
    # The pages of the second factor itself, logging out and health stay reachable.
    assert client.get("/logga-in/kod/").status_code == 200
    assert client.get("/health/").status_code == 200


def test_the_right_code_reaches_the_start_page(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    response = client.post("/logga-in/kod/", {"token": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert response.wsgi_request.user.is_verified()


def test_a_wrong_code_gives_a_swedish_error_at_the_field(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    response = client.post("/logga-in/kod/", {"token": wrong_code_for(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_token_error"' in html
    assert "Koden stämmer inte eller har gått ut" in html
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567"])
def test_a_malformed_code_gives_a_swedish_error_not_a_crash(
    client: Client, enrolled_worker: tuple[User, TOTPDevice], token: str
) -> None:
    user, _ = enrolled_worker
    log_in_with_password(client, user.username)
    response = client.post("/logga-in/kod/", {"token": token})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()


def test_a_code_cannot_be_used_twice(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    code = code_for(device)
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": code})
    client.post("/logga-ut/")

    log_in_with_password(client, user.username)
    response = client.post("/logga-in/kod/", {"token": code})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()


def test_first_login_enrols_the_authenticator_with_a_qr_code_and_the_secret(
    client: Client, worker: User
) -> None:
    response = log_in_with_password(client, worker.username)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/aktivera/"
    assert client.get("/logga-in/aktivera/")["Location"] == "/logga-in/registreringskod/"
    give_enrolment_code(client, worker)

    response = client.get("/logga-in/aktivera/")
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    assert "<svg" in html
    assert base64.b32encode(device.bin_key).decode() in html

    response = client.post("/logga-in/aktivera/", {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_enrolment_shows_the_same_secret_until_it_is_confirmed(
    client: Client, worker: User
) -> None:
    log_in_with_password(client, worker.username)
    give_enrolment_code(client, worker)
    first = client.get("/logga-in/aktivera/").content
    second = client.get("/logga-in/aktivera/").content
    assert TOTPDevice.objects.filter(user=worker).count() == 1
    secret = base64.b32encode(TOTPDevice.objects.get(user=worker).bin_key)
    assert secret in first
    assert secret in second


def test_a_wrong_code_at_enrolment_gives_a_swedish_error_and_confirms_nothing(
    client: Client, worker: User
) -> None:
    log_in_with_password(client, worker.username)
    give_enrolment_code(client, worker)
    client.get("/logga-in/aktivera/")
    device = TOTPDevice.objects.get(user=worker)
    response = client.post("/logga-in/aktivera/", {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert "Kontrollera att telefonens klocka går rätt" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302


def test_an_enrolled_user_cannot_enrol_a_second_authenticator(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, _ = enrolled_worker
    log_in_with_password(client, user.username)
    response = client.get("/logga-in/aktivera/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/kod/"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_local_next_is_followed_after_the_code(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    response = client.get("/sok/")
    assert response["Location"] == "/logga-in/?next=/sok/"
    response = client.post(
        "/logga-in/?next=/sok/", {"username": user.username, "password": PASSWORD, "next": "/sok/"}
    )
    assert response["Location"] == "/logga-in/kod/?next=%2Fsok%2F"
    response = client.post(response["Location"], {"token": code_for(device), "next": "/sok/"})
    assert response["Location"] == "/sok/"


def test_a_local_next_survives_enrolment(client: Client, worker: User) -> None:
    response = log_in_with_password(client, worker.username, next="/sok/")
    response = client.get(response["Location"])
    assert response["Location"] == "/logga-in/aktivera/?next=%2Fsok%2F"
    code_page = client.get(response["Location"])["Location"]
    assert code_page == "/logga-in/registreringskod/?next=%2Fsok%2F"
    give_enrolment_code(client, worker, next="/sok/")
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(response["Location"], {"token": code_for(device), "next": "/sok/"})
    assert response["Location"] == "/sok/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/sok/",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_an_external_next_is_ignored(
    client: Client, enrolled_worker: tuple[User, TOTPDevice], target: str
) -> None:
    user, device = enrolled_worker
    response = log_in_with_password(client, user.username, next=target)
    assert response["Location"] == "/logga-in/kod/"
    response = client.post("/logga-in/kod/", {"token": code_for(device), "next": target})
    assert response["Location"] == "/"


def test_a_signed_in_user_visiting_the_login_page_goes_to_the_start_page(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": code_for(device)})
    response = client.get("/logga-in/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_out_ends_the_session(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": code_for(device)})
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    assert _session_user_id(client) is None
    assert client.get("/")["Location"].startswith("/logga-in/")


def test_logging_out_needs_a_post(client: Client, enrolled_worker: tuple[User, TOTPDevice]) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": code_for(device)})
    assert client.get("/logga-ut/").status_code == 405
    assert _session_user_id(client) == str(user.pk)


def test_production_hashes_passwords_with_argon2_at_full_cost() -> None:
    from brygga import settings as brygga_settings

    assert brygga_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


@pytest.mark.django_db
def test_an_empty_login_form_says_what_is_missing(client):
    response = client.post("/logga-in/", {})
    assert response.status_code == 200
    assert 'id="id_username_error"' in response.content.decode()
