"""Search is rate limited per user: over the limit, HTTP 429 and a Swedish page."""

from __future__ import annotations

import time

from django.test import Client, override_settings
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from tests.conftest import Cast, signed_in


def _search(client: Client, q: str = "Anna"):
    return client.post(reverse("search"), {"q": q})


@override_settings(SEARCH_RATE_LIMIT=3, SEARCH_RATE_WINDOW_SECONDS=60)
def test_searches_over_the_limit_get_too_many_requests_in_swedish(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    for _ in range(3):
        assert _search(client).status_code == 200
    response = _search(client)
    assert response.status_code == 429
    assert "För många förfrågningar" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 61


@override_settings(SEARCH_RATE_LIMIT=3, SEARCH_RATE_WINDOW_SECONDS=60)
def test_a_refused_search_searches_nothing_and_audits_nothing(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    for _ in range(4):
        _search(client)
    assert AuditEvent.objects.filter(action=Action.SEARCH).count() == 3


@override_settings(SEARCH_RATE_LIMIT=2, SEARCH_RATE_WINDOW_SECONDS=60)
def test_the_limit_is_per_user(cast: Cast) -> None:
    worker = signed_in(cast.case_worker)
    for _ in range(3):
        _search(worker)
    assert _search(worker).status_code == 429
    assert _search(signed_in(cast.unit_manager)).status_code == 200


@override_settings(SEARCH_RATE_LIMIT=2, SEARCH_RATE_WINDOW_SECONDS=60)
def test_logging_in_again_does_not_reset_the_limit(cast: Cast) -> None:
    for _ in range(2):
        _search(signed_in(cast.case_worker))
    assert _search(signed_in(cast.case_worker)).status_code == 429


@override_settings(SEARCH_RATE_LIMIT=1, SEARCH_RATE_WINDOW_SECONDS=60)
def test_showing_the_search_form_does_not_count(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    for _ in range(3):
        assert client.get(reverse("search")).status_code == 200
    assert _search(client).status_code == 200


@override_settings(SEARCH_RATE_LIMIT=1, SEARCH_RATE_WINDOW_SECONDS=1)
def test_the_limit_lifts_when_the_window_has_passed(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    _search(client)
    _search(client)
    time.sleep(1.1)
    assert _search(client).status_code == 200


def test_the_default_limit_allows_ordinary_work(cast: Cast) -> None:
    client = signed_in(cast.case_worker)
    assert all(_search(client).status_code == 200 for _ in range(20))
