"""Lockout after repeated failed logins (django-axes), with a clear Swedish page."""

from __future__ import annotations

from django.conf import settings
from django.test import Client, override_settings

from brygga.organisation.models import User
from tests.organisation.conftest import PASSWORD, log_in_with_password

WRONG = "fel-losenord-123456"


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        log_in_with_password(client, username, WRONG)


def test_the_failure_limit_is_five() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_four_failures_still_allow_the_right_password(client: Client, worker: User) -> None:
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in_with_password(client, worker.username)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(worker.pk)


def test_the_fifth_failure_locks_the_account_with_a_swedish_page(
    client: Client, worker: User
) -> None:
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in_with_password(client, worker.username, WRONG)
    assert response.status_code == 429
    assert "organisation/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Kontot är tillfälligt låst" in html
    assert "Försök igen om 30 minuter" in html


def test_a_locked_account_stays_locked_even_with_the_right_password(
    client: Client, worker: User
) -> None:
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT)
    response = log_in_with_password(client, worker.username, PASSWORD)
    assert response.status_code == 429
    assert client.session.get("_auth_user_id") is None
    assert Client().get("/").status_code == 302


@override_settings(AXES_COOLOFF_TIME=1 / 60)
def test_the_locked_page_names_the_real_wait(client: Client, worker: User) -> None:
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT)
    response = log_in_with_password(client, worker.username, PASSWORD)
    assert "Försök igen om 1 minut," in response.content.decode()


def test_a_lockout_of_one_account_leaves_other_accounts_alone(
    client: Client, worker: User, db: None
) -> None:
    other = User.objects.create_user("bo.kollega", password=PASSWORD)
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT)
    response = log_in_with_password(client, other.username)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(other.pk)


def test_a_successful_login_resets_the_count(client: Client, worker: User) -> None:
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT - 1)
    log_in_with_password(client, worker.username)
    client.post("/logga-ut/")
    _fail(client, worker.username, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in_with_password(client, worker.username)
    assert response.status_code == 302
