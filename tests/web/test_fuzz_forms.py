"""Every form and every query parameter, fuzzed with hypothesis as each persona that may use it.

The forms are found by walking every URL pattern (tests/access/test_every_form.py reads the
`<form method="post">` of each page), so new views are covered without changes here. For each
posted example: never a 500; and a POST that did not succeed (anything but a redirect) changed
nothing: every table's row count and the audit log's changes (reads are logged too) are as before.

Default examples are few so the suite stays fast; `HYPOTHESIS_PROFILE=deep` (or
`pytest --hypothesis-profile=deep`; profiles in tests/conftest.py) runs 200 per form.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.audit.models import Action, AuditEvent
from tests.access.test_every_form import Form, forms_on_every_page
from tests.access.test_matrix import ROUTES, build_url
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PERSONAS = ["case_worker", "unit_manager", "housing_support", "administrator"]
# The default profile: a handful per form; the deep profile: what it says.
EXAMPLES = 200 if settings.default.max_examples > 100 else 2
NASTY = st.one_of(
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "0001-01-01",
            "9999-12-31",
            "0000-00-00",
            "2025-02-29",
            "-1",
            "0",
            str(2**31),
            str(2**63),
            "-" + "9" * 30,
            "1e309",
            "NaN",
            "on",
            "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
            "%ff%fe",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
        ]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)
QUERY_NAMES = ["sida", "q", "next", "fran", "till", "enhet", "vecka", "page", "id"]
CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


def _state() -> dict[str, int]:
    """Row counts of every table, and the audit events that are not page views."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model is not AuditEvent
    }
    # Reads are logged too (a search, a page view): only changes count as a save.
    reads = [Action.VIEW, Action.SEARCH, Action.EXPORT, Action.PRINT]
    changes = AuditEvent.objects.exclude(action__in=reads)
    # A refused emergency access is logged on purpose (probing case numbers shows in the log
    # review); it saves nothing.
    changes = changes.exclude(action=Action.EMERGENCY_ACCESS, detail__granted=False)
    counts["audit of changes"] = changes.count()
    # Sessions are rewritten on every request; not a record of the case.
    counts.pop("sessions.Session", None)
    return counts


def _fuzz_form(client: Client, form: Form, problems: list[str]) -> None:
    names = sorted(form.fields)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=CHECKS, database=None)
    @given(st.fixed_dictionaries({}, optional={name: NASTY for name in names}))
    def post(values: dict[str, str]) -> None:
        data = {**form.fields, **values}
        before = _state()
        try:
            response = client.post(form.action, data)
        except Exception as exc:  # a 500: reported, never a pass
            problems.append(f"POST {form.action} {sorted(values)}: {exc!r}")
            return
        if response.status_code >= 500:
            problems.append(f"POST {form.action} {sorted(values)} -> {response.status_code}")
        elif response.status_code != 302 and _state() != before:
            changed = {k for k, v in _state().items() if before.get(k) != v}
            problems.append(f"POST {form.action} -> {response.status_code} half-saved {changed}")

    post()


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_form_takes_any_input_without_a_server_error_or_a_half_save(world, persona):
    client = signed_in(world.users[persona])
    forms = forms_on_every_page(world, client)
    problems: list[str] = []
    for form in forms:
        _fuzz_form(client, form, problems)
    assert forms, "the walk found forms"
    assert "\n".join(problems) == ""


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_every_page_takes_any_query_parameters_without_a_server_error(world, persona):
    client = signed_in(world.users[persona])
    paths = [build_url(route, world, [])[0] for route, _ in ROUTES]
    problems: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=CHECKS, database=None)
    @given(st.dictionaries(st.sampled_from(QUERY_NAMES), NASTY, max_size=3))
    def get_all(params: dict[str, str]) -> None:
        for path in paths:
            try:
                status = client.get(path, params).status_code
            except Exception as exc:  # a 500: reported, never a pass
                problems.append(f"GET {path} {params}: {exc!r}")
                continue
            if status >= 500:
                problems.append(f"GET {path} {params} -> {status}")

    get_all()
    assert len(paths) > 20  # the walk reached the pages
    assert "\n".join(problems) == ""


def test_invalid_utf8_in_a_form_body_is_a_form_error_not_a_crash(world):
    client = signed_in(world.users["case_worker"])
    response = client.post(
        "/sok/", data=b"q=%ff%fe%00\xff", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 400, 429)
