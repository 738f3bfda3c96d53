"""Demo mode: demo users may skip the second factor; every page says the data is fictional."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.organisation.models import User
from tests.conftest import Cast, signed_in
from tests.organisation.conftest import log_in_with_password

BANNER = "DEMO – fiktiva uppgifter"


@pytest.fixture
def demo_worker(worker: User) -> User:
    worker.is_demo = True
    worker.save(update_fields=["is_demo"])
    return worker


def test_a_demo_user_in_demo_mode_skips_the_second_factor(
    client: Client, demo_worker: User
) -> None:
    response = log_in_with_password(client, demo_worker.username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_demo_user_follows_a_local_next(client: Client, demo_worker: User) -> None:
    response = log_in_with_password(client, demo_worker.username, next="/sok/")
    assert response["Location"] == "/sok/"


def test_a_non_demo_user_in_demo_mode_may_not_skip_the_second_factor(
    client: Client, worker: User
) -> None:
    TOTPDevice.objects.create(user=worker, name="Brygga", confirmed=True)
    response = log_in_with_password(client, worker.username)
    assert response["Location"] == "/logga-in/kod/"
    assert client.get("/").status_code == 302


@override_settings(DEMO_SKIP_TWO_FACTOR=False)
def test_with_skipping_off_a_demo_user_must_give_the_code_too(
    client: Client, demo_worker: User
) -> None:
    TOTPDevice.objects.create(user=demo_worker, name="Brygga", confirmed=True)
    response = log_in_with_password(client, demo_worker.username)
    assert response["Location"] == "/logga-in/kod/"
    assert client.get("/").status_code == 302


def test_a_skipped_session_does_not_carry_over_to_a_non_demo_user(
    client: Client, demo_worker: User
) -> None:
    log_in_with_password(client, demo_worker.username)
    # Should the account stop being a demo account, its session no longer passes.
    User.objects.filter(pk=demo_worker.pk).update(is_demo=False)
    assert client.get("/").status_code == 302


def test_every_page_shows_the_demo_banner_in_demo_mode(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    for path in ["/logga-in/", "/", "/sok/", f"/arenden/{cast.case.pk}/"]:
        page = (client if path != "/logga-in/" else Client()).get(path)
        assert page.status_code == 200, path
        assert BANNER in page.content.decode(), path


@override_settings(DEMO=False)
def test_no_page_shows_the_demo_banner_in_production_mode(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    for path in ["/logga-in/", "/", "/sok/", f"/arenden/{cast.case.pk}/"]:
        page = (client if path != "/logga-in/" else Client()).get(path)
        assert page.status_code == 200, path
        assert BANNER not in page.content.decode(), path
