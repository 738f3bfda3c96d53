"""`manage.py create_administrator`: the first administrator of a new installation."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import Membership, Role, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "korrekt-hast-batteri-häftklammer"


def test_it_creates_an_administrator_with_a_global_membership(monkeypatch):
    monkeypatch.setenv("BRYGGA_ADMIN_PASSWORD", GOOD_PASSWORD)

    call_command("create_administrator", username="anna.admin", interactive=False)

    user = User.objects.get(username="anna.admin")
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_demo
    assert not user.is_superuser
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit) == (Role.ADMINISTRATOR, None)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="organisation.User", object_id=str(user.pk)
    ).exists()


@pytest.mark.parametrize("password", ["kort", "12345678901234", "password1234", "anna.admin.01"])
def test_it_refuses_a_weak_password_and_creates_nothing(monkeypatch, password):
    monkeypatch.setenv("BRYGGA_ADMIN_PASSWORD", password)

    with pytest.raises(CommandError):
        call_command("create_administrator", username="anna.admin", interactive=False)

    assert not User.objects.filter(username="anna.admin").exists()
    assert not Membership.objects.exists()


def test_it_refuses_an_existing_username(monkeypatch, cast):
    monkeypatch.setenv("BRYGGA_ADMIN_PASSWORD", GOOD_PASSWORD)

    with pytest.raises(CommandError, match="already exists"):
        call_command("create_administrator", username="case_worker", interactive=False)

    assert not cast.case_worker.memberships.filter(role=Role.ADMINISTRATOR).exists()


def test_without_input_it_needs_the_password_variable(monkeypatch):
    monkeypatch.delenv("BRYGGA_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="BRYGGA_ADMIN_PASSWORD"):
        call_command("create_administrator", username="anna.admin", interactive=False)

    assert not User.objects.exists()


def test_it_asks_again_until_the_password_is_good_and_typed_twice_alike(monkeypatch):
    answers = iter(["kort", "kort", GOOD_PASSWORD, "something else", GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("builtins.input", lambda prompt="": "bo.admin")

    call_command("create_administrator")

    assert User.objects.get(username="bo.admin").check_password(GOOD_PASSWORD)
    assert next(answers, None) is None
