"""Brygga's PostgreSQL connections run without JIT compilation (docs/decisions/0084)."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_board_reports_connections_do_not_pay_for_jit_compilation():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        # The setting is the session's own: the server default is left alone.
        cursor.execute("SELECT source FROM pg_settings WHERE name = 'jit'")
        assert cursor.fetchone()[0] == "client"
