"""Optional single sign-on through the municipality's identity provider (OpenID Connect).

Off unless OIDC_RP_CLIENT_ID is set (see settings). Only existing, active Brygga accounts may
sign in this way, matched on a username claim; roles always come from Brygga. Unless
OIDC_IDP_ENFORCES_MFA says the identity provider already demands two factors, the user still
gives Brygga's TOTP code afterwards.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from brygga.access.decorators import public
from brygga.organisation.twofactor import OIDC_SESSION_KEY

BACKEND_PATH = "brygga.organisation.oidc.BryggaOIDCBackend"


class BryggaOIDCBackend(OIDCAuthenticationBackend):
    """Signs in existing active users only; never creates or changes an account."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        username = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:  # pragma: no cover - OIDC_CREATE_USER
        return None


@receiver(user_logged_in)
def trust_the_identity_providers_second_factor(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is None or getattr(user, "backend", "") != BACKEND_PATH:
        return
    if settings.OIDC_ENABLED and settings.OIDC_IDP_ENFORCES_MFA:
        request.session[OIDC_SESSION_KEY] = True


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404(_("Sidan finns inte."))


@public
@never_cache
@require_GET
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Sends the browser to the identity provider."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@public
@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The identity provider sends the browser back here with a code."""
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
