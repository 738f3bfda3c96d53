"""Every login, logout, failed login and second-factor step leaves an audit event."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import User
from tests.organisation.conftest import (
    code_for,
    give_enrolment_code,
    log_in_with_password,
    wrong_code_for,
)


def _actions(**filters: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def test_a_failed_login_is_audited_with_the_attempted_username_only(
    client: Client, worker: User
) -> None:
    log_in_with_password(client, worker.username, "fel-losenord-123456")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.username == worker.username
    assert event.user_id is None
    assert event.path == "/logga-in/"
    assert "fel-losenord" not in str(event.detail)


def test_a_failed_login_for_an_unknown_username_is_audited(client: Client, db: None) -> None:
    log_in_with_password(client, "ingen.alls", "fel-losenord-123456")
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, username="ingen.alls").exists()


def test_a_login_with_both_factors_and_a_logout_are_audited(
    client: Client, enrolled_worker: tuple[User, TOTPDevice]
) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": code_for(device)})
    client.post("/logga-ut/")
    assert _actions(user_id=user.pk) == [Action.LOGIN, Action.SECOND_FACTOR, Action.LOGOUT]
    assert AuditEvent.objects.get(action=Action.LOGIN).ip_address == "127.0.0.1"


def test_a_wrong_code_is_audited(client: Client, enrolled_worker: tuple[User, TOTPDevice]) -> None:
    user, device = enrolled_worker
    log_in_with_password(client, user.username)
    client.post("/logga-in/kod/", {"token": wrong_code_for(device)})
    assert _actions(user_id=user.pk) == [Action.LOGIN, Action.SECOND_FACTOR_FAILED]


def test_enrolling_an_authenticator_is_audited(client: Client, worker: User) -> None:
    log_in_with_password(client, worker.username)
    give_enrolment_code(client, worker)
    client.get("/logga-in/aktivera/")
    device = TOTPDevice.objects.get(user=worker)
    client.post("/logga-in/aktivera/", {"token": code_for(device)})
    assert _actions(user_id=worker.pk) == [
        Action.LOGIN,
        Action.SECOND_FACTOR,  # the enrolment code
        Action.SECOND_FACTOR_ENROLLED,
    ]


def test_each_failure_before_a_lockout_is_audited(client: Client, worker: User) -> None:
    for _ in range(6):
        log_in_with_password(client, worker.username, "fel-losenord-123456")
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 6
