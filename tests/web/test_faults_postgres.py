"""The database connection dropped in the middle of a request, on a real server (PostgreSQL).

The server runs Django's own WSGI handler in a thread (unlike the test client, it closes a
broken connection at the end of the request, as a gunicorn worker does), so "the next request
works" is tested for real.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import psycopg
import pytest
import requests
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.urls import reverse

from brygga.audit import chain
from brygga.audit.models import AuditEvent
from brygga.journal.models import JournalNote
from tests.conftest import signed_in

pytestmark = pytest.mark.postgres


def _terminate(backend_pid: int) -> None:
    """What an administrator (or a failing network) does: kill the server process."""
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server_url(real_commits: None, monkeypatch) -> Iterator[str]:
    """Django's WSGI handler behind a small threaded server; its connection closes after each
    request so nothing stays open when the test database is dropped."""
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _browser_session(server_url: str, user) -> requests.Session:
    """A requests session carrying a signed-in (both factors) session cookie and a CSRF token."""
    client = signed_in(user)
    browser = requests.Session()
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.cookies.set(settings.SESSION_COOKIE_NAME, session_id)
    browser.get(server_url + reverse("start"), timeout=10)
    browser.headers["X-CSRFToken"] = browser.cookies[settings.CSRF_COOKIE_NAME]
    return browser


def test_a_connection_dropped_mid_request_gives_a_clean_page_saves_nothing_and_recovers(
    server_url, cast, monkeypatch
):
    original_append = chain.append
    dropped = []

    def append_after_the_connection_drops(event):
        # The draft is INSERTed already; the connection dies before the audit event.
        if not dropped and event.path.endswith("/autospara/"):
            dropped.append(connection.connection.info.backend_pid)
            _terminate(dropped[0])
        return original_append(event)

    browser = _browser_session(server_url, cast.case_worker)
    monkeypatch.setattr(chain, "append", append_after_the_connection_drops)
    notes_before = JournalNote.objects.count()
    events_before = AuditEvent.objects.count()
    url = server_url + reverse("journal_autosave", args=[cast.case.pk])

    failed = browser.post(url, {"title": "Samtal", "text": "Om helgen."}, timeout=10)

    assert dropped, "the connection was dropped during the request"
    assert failed.status_code == 503
    assert "Brygga når inte sin databas" in failed.text
    assert failed.headers["X-Request-Id"] in failed.text
    # No partial write: neither the draft nor its audit event.
    assert JournalNote.objects.count() == notes_before
    assert AuditEvent.objects.count() == events_before

    again = browser.post(url, {"title": "Samtal", "text": "Om helgen."}, timeout=10)
    assert again.status_code == 200
    assert "Utkast sparat" in again.text
    assert JournalNote.objects.filter(case=cast.case, title="Samtal").count() == 1
    assert chain.verify().ok
