"""The enrolment page draws its QR code inline, within the strict content security policy."""

from __future__ import annotations

import re

from django.test import Client

from brygga.organisation.models import User
from tests.organisation.conftest import give_enrolment_code, log_in_with_password
from tests.web.test_security_headers import EXTERNAL


def test_the_qr_code_is_an_inline_svg_without_style_or_external_references(
    client: Client, worker: User
) -> None:
    log_in_with_password(client, worker.username)
    give_enrolment_code(client, worker)
    response = client.get("/logga-in/aktivera/")
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert "<title>" in svg.group(0)
    assert " style=" not in html
    assert EXTERNAL.findall(html) == []
    assert "unsafe-inline" not in response["Content-Security-Policy"]
