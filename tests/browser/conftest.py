"""Real-browser fixtures: Debian's Chromium driven by Playwright's sync API.

Browser tests need `live_server`, which needs a transactional database. Flushing it after a
test would DELETE (SQLite) or TRUNCATE (PostgreSQL) the append-only audit table, which the
database refuses. So every browser test is marked with `browser_db`: a transactional database
whose `available_apps` leave out brygga.audit, so the flush never touches that table (see
docs/decisions/0006-browser-tests-exclude-audit-flush.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brygga.organisation.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "ett-langt-testlosenord-42"  # the factories' password for every test user
AUDIT_APP = "brygga.audit"

# Every installed app but the audit log: its table is never flushed (and never needs to be).
AVAILABLE_APPS = [app for app in settings.INSTALLED_APPS if app != AUDIT_APP]

browser_db = pytest.mark.django_db(transaction=True, available_apps=AVAILABLE_APPS)


def _require_browser() -> bool:
    return os.environ.get("BRYGGA_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"{CHROMIUM} is missing: install Debian's chromium to run browser tests"
        if _require_browser():
            pytest.fail(message + " (BRYGGA_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, live_server, **options) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **options)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser tab on the live server, with the site's CSP enforced."""
    yield from _page(browser, live_server)


@pytest.fixture
def axe_page(browser, live_server) -> Iterator[object]:
    """A tab where axe-core may be injected: the strict CSP forbids inline scripts, axe's too.

    The pages' own compliance with the CSP is tested with `page`, which enforces it.
    """
    yield from _page(browser, live_server, bypass_csp=True)


def _submit_password(page, user: User, password: str) -> None:
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def log_in_with_code(page, user: User, password: str = PASSWORD) -> None:
    """Logs in through the real forms: password, then a TOTP code computed from the device key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    )
    _submit_password(page, user, password)
    page.wait_for_url("**/logga-in/kod/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Engångskod").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(lambda url: "/logga-in" not in url)


def log_in_as_demo_user(page, user: User, password: str = PASSWORD) -> None:
    """In demo mode a demo user skips the second factor: the password alone is enough."""
    User.objects.filter(pk=user.pk).update(is_demo=True)
    _submit_password(page, user, password)
    page.wait_for_url(lambda url: "/logga-in" not in url)


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Runs axe-core in the page and returns the violations of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
