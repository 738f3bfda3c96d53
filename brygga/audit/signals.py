from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from brygga.audit.log import record
from brygga.audit.models import Action


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Action.LOGIN, user=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Action.LOGOUT, user=user)


@receiver(user_login_failed)
def audit_failed_login(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # The attempted username only; never the password Django has already masked.
    record(request, Action.LOGIN_FAILED, username=str(credentials.get("username", "")))
