"""Security headers on every page, and no page refers to an external host."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from tests.conftest import Cast, signed_in

# src=, href=, action= (and srcset, poster …) pointing anywhere but this site.
EXTERNAL = re.compile(
    r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?//""", re.I
)


def _pages(cast: Cast) -> dict[str, tuple[Client, str]]:
    client = signed_in(cast.case_worker)
    return {
        "login": (Client(), "/logga-in/"),
        "start": (client, "/"),
        "search": (client, "/sok/"),
        "case": (client, f"/arenden/{cast.case.pk}/"),
        "not found": (client, "/finns-inte/"),
    }


@pytest.mark.parametrize("page", ["login", "start", "case"])
def test_pages_send_a_strict_content_security_policy(cast: Cast, page: str) -> None:
    client, path = _pages(cast)[page]
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("page", ["login", "start", "case"])
def test_pages_deny_framing_and_leak_no_referrer(cast: Cast, page: str) -> None:
    client, path = _pages(cast)[page]
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_demo_mode_sends_no_hsts_even_over_https(cast: Cast) -> None:
    # Over HTTPS Django would send HSTS if SECURE_HSTS_SECONDS were set: demo mode must not,
    # or a browser that once saw the demo on a host could never reach it over plain HTTP again.
    response = Client().get("/logga-in/", secure=True)
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_SSL_REDIRECT=True
)
@pytest.mark.parametrize("page", ["login", "start"])
def test_production_sends_hsts_over_https(cast: Cast, page: str) -> None:
    client, path = _pages(cast)[page]
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^health/$"])
def test_production_redirects_plain_http_to_https_except_the_health_check(db: None) -> None:
    response = Client().get("/logga-in/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/logga-in/"
    assert Client().get("/health/").status_code == 200


@pytest.mark.parametrize("page", ["login", "start", "search", "case", "not found"])
def test_no_page_refers_to_an_external_host(cast: Cast, page: str) -> None:
    client, path = _pages(cast)[page]
    html = client.get(path).content.decode()
    assert EXTERNAL.findall(html) == []


@pytest.mark.parametrize("page", ["login", "start", "search", "case", "not found"])
def test_no_page_has_inline_script_or_style(cast: Cast, page: str) -> None:
    client, path = _pages(cast)[page]
    html = client.get(path).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []


def test_the_external_host_check_catches_external_references() -> None:
    assert EXTERNAL.findall('<img src="https://cdn.example/x.png">')
    assert EXTERNAL.findall("<script src='//cdn.example/x.js'></script>")
    assert not EXTERNAL.findall('<a href="/sok/">Sök</a>')
