"""A session ends after SESSION_IDLE_MINUTES (15) without a request; each request renews it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast, signed_in

ROOT = Path(__file__).resolve().parents[2]


def _expiry(client: Client):
    return Session.objects.get(pk=client.session.session_key).expire_date


def test_sessions_last_fifteen_idle_minutes_by_default() -> None:
    assert settings.SESSION_IDLE_MINUTES == 15
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_the_idle_time_is_configurable_from_the_environment() -> None:
    env = {**os.environ, "SESSION_IDLE_MINUTES": "7", "DJANGO_SETTINGS_MODULE": "brygga.settings"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "420"


def test_the_session_cookie_dies_with_the_browser_and_is_not_readable_by_scripts(
    cast: Cast,
) -> None:
    client = signed_in(cast.case_worker)
    response = client.get("/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_every_request_renews_the_idle_time(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    response = client.get("/")
    assert response.status_code == 200
    remaining = _expiry(client) - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)


def test_after_fifteen_idle_minutes_the_user_must_log_in_again(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")
