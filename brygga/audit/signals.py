import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import request_finished
from django.db import DatabaseError
from django.dispatch import receiver

from brygga.audit.chain import seal
from brygga.audit.log import record
from brygga.audit.models import Action

logger = logging.getLogger(__name__)


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


@receiver(request_finished)
def seal_now_and_then(sender: Any, **kwargs: Any) -> None:
    """A fallback for the `audit_seal --loop` process: every AUDIT_SEAL_EVERY_SECONDS per app
    process, after the response has gone out, seal what is pending (decision 0080)."""
    interval = settings.AUDIT_SEAL_EVERY_SECONDS
    now = time.monotonic()
    if not interval or now - _last_seal[0] < interval:
        return
    _last_seal[0] = now
    try:
        seal(max_batches=5)
    except DatabaseError:
        # Never fail a request that has already been answered; the next one tries again.
        logger.exception("audit sealing after a request failed")


_last_seal = [0.0]
