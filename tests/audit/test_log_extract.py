"""A person's log extract (registerutdrag över loggar) as a PDF."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from brygga.audit.log import record, record_view
from brygga.audit.models import Action, AuditEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _url(cast):
    return reverse("case_log_extract", args=[cast.case.pk])


def _text(response) -> str:
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def _someone_opened_the_case(cast, user):
    record(None, Action.VIEW, user=user, person_id=cast.case.person_id, obj=cast.case)


def test_the_extract_lists_who_opened_the_persons_data_by_role_and_unit(cast):
    _someone_opened_the_case(cast, cast.other_district_worker)
    response = signed_in(cast.case_worker).get(_url(cast))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert "Registerutdrag över loggar" in text
    assert cast.case.person.full_name in text
    assert "Socialsekreterare, Relationsvåldsteamet Rinkeby-Kista" in text
    assert "Visning" in text
    assert "Utskrift" in text  # this very print
    for user in (cast.other_district_worker, cast.case_worker):
        assert user.get_full_name() not in text
        assert user.username not in text


@override_settings(AUDIT_EXTRACT_SHOW_STAFF_NAMES=True)
def test_staff_names_are_shown_when_the_setting_says_so(cast):
    _someone_opened_the_case(cast, cast.other_district_worker)
    text = _text(signed_in(cast.case_worker).get(_url(cast)))
    assert cast.other_district_worker.get_full_name() in text


def test_the_extract_holds_no_identity_number_reason_or_address(cast):
    person = cast.case.person
    person.identity_number = "199001010017"
    person.save()
    record(
        None,
        Action.EMERGENCY_ACCESS,
        user=cast.colleague,
        person_id=person.pk,
        reason="Hemlig adress Storgatan 1",
    )
    text = _text(signed_in(cast.case_worker).get(_url(cast)))
    assert "Nödåtkomst" in text
    for secret in ("199001010017", "19900101", "Storgatan", "127.0.0.1", "/arenden/"):
        assert secret not in text


def test_events_about_other_persons_are_not_in_the_extract(cast):
    record(None, Action.VIEW, user=cast.case_worker, person_id=cast.case.person_id + 1000)
    record(None, Action.LOGIN, user=cast.other_district_manager)
    text = _text(signed_in(cast.case_worker).get(_url(cast)))
    assert "Inloggning" not in text
    assert text.count("Visning") == 0


def test_printing_the_extract_is_itself_logged(cast):
    signed_in(cast.case_worker).get(_url(cast))
    event = AuditEvent.objects.get(action=Action.PRINT)
    assert (event.user_id, event.person_id) == (cast.case_worker.pk, cast.case.person_id)


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_the_case_team_and_its_managers_may_print_it(cast, persona):
    assert signed_in(getattr(cast, persona)).get(_url(cast)).status_code == 200


@pytest.mark.parametrize(
    "persona",
    [
        "housing_support",
        "colleague",
        "other_district_worker",
        "other_district_manager",
        "administrator",
    ],
)
def test_anyone_else_gets_not_found_and_nothing_is_printed(cast, persona):
    assert signed_in(getattr(cast, persona)).get(_url(cast)).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PRINT).exists()


def test_the_extract_runs_the_same_number_of_queries_however_long_the_log(cast):
    client = signed_in(cast.case_worker)
    client.get(_url(cast))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(cast)).status_code == 200
        return len(captured)

    few = count()
    for user in (cast.unit_manager, cast.other_district_worker, cast.housing_support) * 5:
        _someone_opened_the_case(cast, user)
    assert count() == few


def test_a_case_view_records_the_owning_unit_for_the_review(cast):
    event = record_view(None, cast.case, cast.case.person_id)  # type: ignore[arg-type]
    assert event.detail == {"owning_unit": cast.sodermalm.pk}
