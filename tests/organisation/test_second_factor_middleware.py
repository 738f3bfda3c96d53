"""The second-factor gate is default deny: only its short list of pages passes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.access.decorators import signed_in
from brygga.organisation.middleware import PASSWORD_ONLY_URL_NAMES
from brygga.organisation.models import User
from brygga.urls import urlpatterns as brygga_urlpatterns
from tests.organisation.conftest import log_in_with_password


@signed_in
def unnamed_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hemligt")


urlpatterns = [*brygga_urlpatterns, path("namnlos/", unnamed_page)]


def test_the_list_of_pages_open_before_the_code_is_short() -> None:
    assert PASSWORD_ONLY_URL_NAMES == {
        "login",
        "second_factor",
        "enrolment_code",
        "enrol_second_factor",
        "logout",
        "set_language",
        "health",
    }


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_without_a_url_name_is_not_reachable_before_the_code(
    client: Client, worker: User
) -> None:
    TOTPDevice.objects.create(user=worker, name="Brygga", confirmed=True)
    log_in_with_password(client, worker.username)
    response = client.get("/namnlos/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/kod/?next=%2Fnamnlos%2F"


def test_an_unknown_url_is_a_plain_not_found_before_the_code(client: Client, worker: User) -> None:
    TOTPDevice.objects.create(user=worker, name="Brygga", confirmed=True)
    log_in_with_password(client, worker.username)
    assert client.get("/finns-inte/").status_code == 404
