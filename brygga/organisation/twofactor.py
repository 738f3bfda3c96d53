"""The second factor: TOTP through django-otp, with a demo-only way around it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEMO_SKIP_SESSION_KEY = "brygga_demo_second_factor_skipped"
# Set after single sign-on when the identity provider itself demands two factors.
OIDC_SESSION_KEY = "brygga_oidc_second_factor"


def may_skip_second_factor(user: object) -> bool:
    if not settings.REQUIRE_TWO_FACTOR:
        return True
    return bool(settings.DEMO_SKIP_TWO_FACTOR and getattr(user, "is_demo", False))


def second_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if not settings.REQUIRE_TWO_FACTOR:
        return True
    if user.is_verified():  # type: ignore[union-attr]
        return True
    if settings.OIDC_ENABLED and settings.OIDC_IDP_ENFORCES_MFA:
        if request.session.get(OIDC_SESSION_KEY):
            return True
    return bool(request.session.get(DEMO_SKIP_SESSION_KEY)) and may_skip_second_factor(user)
