"""Helpers for driving the real login pages with the test client."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.organisation.models import Role, User
from tests.factories import UnitFactory, staff_member

PASSWORD = "ett-langt-testlosenord-42"  # tests/factories.py UserFactory's password


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or `offset_steps` periods from now)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - offset_steps * device.step,
        digits=device.digits,
    )
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """Six digits that are not any code the device accepts right now."""
    accepted = {code_for(device, step) for step in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000, 10**6) if f"{n:06d}" not in accepted)


@pytest.fixture
def worker(db: None) -> User:
    return staff_member(Role.WORKER, UnitFactory(), username="anna.worker")


@pytest.fixture
def enrolled_worker(worker: User) -> tuple[User, TOTPDevice]:
    device = TOTPDevice.objects.create(user=worker, name="Brygga", confirmed=True)
    return worker, device


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def log_in_with_password(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/logga-in/", {"username": username, "password": password, **extra})


def give_enrolment_code(client: Client, user: User, **extra) -> str:
    """As a new user after the password: the enrolment code an administrator handed over."""
    from brygga.organisation.enrolment import issue_code

    code = issue_code(None, user)
    client.post("/logga-in/registreringskod/", {"code": code, **extra})
    return code
