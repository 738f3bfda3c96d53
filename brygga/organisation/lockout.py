"""A per-IP limit on failed logins across all accounts.

django-axes locks a username from one IP address after a few failures; one address could
still try a few passwords on every account. This counts failures per address, whichever
account they name, and refuses further password attempts from that address for the cool-off
time once `LOGIN_IP_FAILURE_LIMIT` is reached. The limit is higher than axes' per-account one:
a municipal office shares one address behind NAT.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    return f"login-failures:ip:{request.META.get('REMOTE_ADDR', '')}"


def _cooloff_seconds() -> int:
    return max(60, int(float(settings.AXES_COOLOFF_TIME) * 3600))


@receiver(user_login_failed, dispatch_uid="brygga-login-failures-per-ip")
def count_failure(
    sender: Any, credentials: Any, request: HttpRequest | None = None, **_: Any
) -> None:
    if request is None:
        return
    key, timeout = _key(request), _cooloff_seconds()
    if cache.add(key, 1, timeout=timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)


def address_locked_out(request: HttpRequest) -> bool:
    return int(cache.get(_key(request)) or 0) >= int(settings.LOGIN_IP_FAILURE_LIMIT)
