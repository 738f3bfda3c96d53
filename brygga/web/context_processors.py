from typing import Any

from django.conf import settings
from django.http import HttpRequest

from brygga.access import policy
from brygga.organisation.models import Role
from brygga.organisation.roles import has_role


def brygga(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "DEMO": settings.DEMO,
        "is_caseworker": bool(user is not None and policy.is_caseworker(user)),
        "may_open_cases": bool(user is not None and has_role(user, Role.WORKER, Role.MANAGER)),
        "is_manager": bool(user is not None and policy.is_manager(user)),
        "is_administrator": bool(user is not None and policy.is_administrator(user)),
        "is_partner": bool(user is not None and has_role(user, Role.PARTNER)),
        "may_see_partner_statistics": bool(
            user is not None
            and has_role(user, Role.CONTACT_COORDINATOR, Role.ADMINISTRATOR, Role.STATISTICIAN)
        ),
        "is_statistician": bool(user is not None and has_role(user, Role.STATISTICIAN)),
        "is_network": bool(user is not None and has_role(user, Role.NETWORK)),
        "works_with_housing": bool(
            user is not None and has_role(user, Role.WORKER, Role.MANAGER, Role.HOUSING_SUPPORT)
        ),
    }
