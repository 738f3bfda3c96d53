"""Response headers every page gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of any page Brygga renders: after logout, Back shows
    nothing, and a shared laptop's cache holds no person. Covers PDFs and CSVs as well; static
    files are served by WhiteNoise before this runs and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # no-cache, no-store, must-revalidate, private, max-age=0 and an Expires in the past.
        add_never_cache_headers(response)
        return response
