"""Optional single sign-on (OpenID Connect): off unless configured; existing accounts only."""

from __future__ import annotations

from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.test import Client, override_settings

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.models import User
from brygga.organisation.oidc import BACKEND_PATH, BryggaOIDCBackend

OIDC = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "brygga",
    "OIDC_RP_CLIENT_SECRET": "hemligt-klientlosenord",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.kommun.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.kommun.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.kommun.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.kommun.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid profile",
    "OIDC_CREATE_USER": False,
    "OIDC_USE_PKCE": True,
    "LOGIN_REDIRECT_URL_FAILURE": "/logga-in/",
}


def _with_backend(**extra: object) -> override_settings:
    return override_settings(
        **OIDC, AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, BACKEND_PATH], **extra
    )


def _sign_on(client: Client, claims: dict[str, str]):
    """The whole code flow, with the identity provider's answers stubbed."""
    response = client.get("/logga-in/oidc/")
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    with (
        mock.patch.object(
            BryggaOIDCBackend, "get_token", return_value={"id_token": "i", "access_token": "a"}
        ),
        mock.patch.object(BryggaOIDCBackend, "verify_token", return_value={"sub": "1"}),
        mock.patch.object(BryggaOIDCBackend, "get_userinfo", return_value=claims),
    ):
        return client.get("/logga-in/oidc/svar/", {"code": "kod", "state": state})


def test_single_sign_on_is_off_by_default(db: None) -> None:
    assert not settings.OIDC_ENABLED
    assert Client().get("/logga-in/oidc/").status_code == 404
    assert Client().get("/logga-in/oidc/svar/").status_code == 404
    assert "oidc" not in Client().get("/logga-in/").content.decode()
    assert BACKEND_PATH not in settings.AUTHENTICATION_BACKENDS


@override_settings(**OIDC)
def test_when_on_the_login_page_offers_it_and_it_goes_to_the_identity_provider(
    db: None,
) -> None:
    client = Client()
    assert "/logga-in/oidc/" in client.get("/logga-in/").content.decode()
    response = client.get("/logga-in/oidc/")
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.netloc == "idp.kommun.example"
    query = parse_qs(target.query)
    assert query["client_id"] == ["brygga"]
    assert query["redirect_uri"] == ["http://testserver/logga-in/oidc/svar/"]
    assert "code_challenge" in query


@pytest.mark.parametrize("trusted", [False, True])
def test_an_existing_account_signs_on_and_gives_totp_unless_the_provider_demands_two_factors(
    worker: User, trusted: bool
) -> None:
    client = Client()
    with _with_backend(OIDC_IDP_ENFORCES_MFA=trusted):
        response = _sign_on(client, {"preferred_username": worker.username})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(worker.pk)
        start = client.get("/")
    if trusted:
        assert start.status_code == 200
    else:
        assert start.status_code == 302
        assert start["Location"].startswith("/logga-in/kod/")
    assert AuditEvent.objects.filter(action=Action.LOGIN, user_id=worker.pk).exists()


def test_an_unknown_account_is_not_created(db: None) -> None:
    client = Client()
    with _with_backend(OIDC_IDP_ENFORCES_MFA=True):
        response = _sign_on(client, {"preferred_username": "okand.person"})
    assert response["Location"] == "/logga-in/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="okand.person").exists()


def test_a_deactivated_account_cannot_sign_on(worker: User) -> None:
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    client = Client()
    with _with_backend(OIDC_IDP_ENFORCES_MFA=True):
        _sign_on(client, {"preferred_username": worker.username})
    assert "_auth_user_id" not in client.session
