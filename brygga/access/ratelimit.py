"""A small per-user rate limit on top of Django's cache (Redis in production, see settings).

Fixed windows: at most `limit` requests per user in each window of `window_seconds`; more get
HTTP 429 and a Swedish page. It slows down anyone trying to enumerate people through search.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ViewFunc = Callable[..., HttpResponse]

TOO_MANY_REQUESTS = 429


def _bucket(scope: str, request: HttpRequest, window_seconds: int) -> tuple[str, int]:
    """The cache key for this user and window, and the seconds left in the window."""
    user = request.user
    if getattr(user, "is_authenticated", False):
        # date_joined as well as pk: a reused primary key must not inherit a count.
        joined = int(user.date_joined.timestamp())  # type: ignore[union-attr]
        who = f"user:{user.pk}:{joined}"
    else:
        who = f"ip:{request.META.get('REMOTE_ADDR', '')}"
    now = time.time()
    window = int(now // window_seconds)
    left = int((window + 1) * window_seconds - now) + 1
    return f"ratelimit:{scope}:{who}:{window}", left


def _count(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def rate_limited(
    scope: str, *, limit_setting: str, window_setting: str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[ViewFunc], ViewFunc]:
    """Limit `methods` requests to the view per user; the numbers come from settings."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                limit = int(getattr(settings, limit_setting))
                window_seconds = int(getattr(settings, window_setting))
                key, left = _bucket(scope, request, window_seconds)
                if _count(key, timeout=window_seconds + 1) > limit:
                    response = render(
                        request,
                        "access/rate_limited.html",
                        {"seconds": left},
                        status=TOO_MANY_REQUESTS,
                    )
                    response["Retry-After"] = str(left)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


limit_searches = rate_limited(
    "search", limit_setting="SEARCH_RATE_LIMIT", window_setting="SEARCH_RATE_WINDOW_SECONDS"
)

# Every registration counts, whether its number was known or not: the limit itself must not
# tell the two apart.
limit_registrations = rate_limited(
    "register",
    limit_setting="REGISTRATION_RATE_LIMIT",
    window_setting="REGISTRATION_RATE_WINDOW_SECONDS",
)
