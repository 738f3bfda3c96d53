from typing import Any

from django.conf import settings
from django.http import HttpRequest

from brygga.organisation.roles import has_role


def brygga(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "DEMO": settings.DEMO,
        "is_caseworker": bool(
            user is not None
            and has_role(user, "worker", "manager", "housing_support", "contact_coordinator")
        ),
        "may_open_cases": bool(user is not None and has_role(user, "worker", "manager")),
        "is_manager": bool(user is not None and has_role(user, "manager")),
        "is_administrator": bool(user is not None and has_role(user, "administrator")),
        "is_partner": bool(user is not None and has_role(user, "partner")),
        "may_see_partner_statistics": bool(
            user is not None
            and has_role(user, "contact_coordinator", "administrator", "statistician")
        ),
    }
