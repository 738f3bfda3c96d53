"""Every form page speaks plain Swedish: lists say "Välj …", never Django's "---------" (#12).

The pages are found by walking every URL pattern as the people who may open them, so a new
form is covered without changes here.
"""

from __future__ import annotations

import re

import pytest

from tests.access.test_matrix import ROUTES, build_url
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

EMPTY_OPTION = re.compile(r"<option[^>]*>([^<]*)</option>")


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager", "administrator"])
def test_no_drop_down_offers_dashes_for_no_choice(world, persona):
    client = signed_in(world.users[persona])
    offenders: list[str] = []
    options_seen = 0
    for route, _name in ROUTES:
        path, _ = build_url(route, world, [])
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        labels = EMPTY_OPTION.findall(response.content.decode())
        options_seen += len(labels)
        offenders += [f"{path}: {label!r}" for label in labels if set(label.strip()) == {"-"}]
    assert options_seen > 20  # the walk found drop-downs
    assert offenders == []
