"""Taking a person off the waiting list: with a reason, audited, never half-saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.housing.models import LeftReason, WaitingEntry
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.housing.conftest import DAY, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(cast):
    return WaitingEntry.objects.create(
        case=cast.case,
        district=cast.sodermalm.administration,
        kind="transitional",
        since=today() - 40 * DAY,
    )


def _url(cast, entry) -> str:
    return reverse("housing:wait_leave", args=[cast.case.pk, entry.pk])


def test_the_case_worker_takes_the_person_off_the_list_with_a_reason_and_it_is_audited(cast, entry):
    client = signed_in(cast.case_worker)
    case_page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert _url(cast, entry) in case_page  # the case page links to the removal
    response = client.post(
        _url(cast, entry),
        {"left_on": today().isoformat(), "reason": LeftReason.HOUSED_ELSEWHERE, "note": ""},
    )
    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.left_on == today() and entry.left_reason == LeftReason.HOUSED_ELSEWHERE
    event = AuditEvent.objects.get(object_type="housing.WaitingEntry", action=Action.UPDATE)
    assert event.person_id == cast.case.person_id
    assert event.detail["left_reason"] == "housed_elsewhere"
    still_waiting = case_with_team(cast.sodermalm, cast.case_worker)
    WaitingEntry.objects.create(
        case=still_waiting,
        district=cast.sodermalm.administration,
        kind="transitional",
        since=today() - 10 * DAY,
    )
    waiting = client.get(reverse("housing:waiting_list")).content.decode()
    assert still_waiting.person.full_name in waiting  # the list shows who still waits …
    assert cast.case.person.full_name not in waiting  # … and no longer the one who left


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "other", "note": "  "}, "note", "Skriv skälet när du väljer ”Annat skäl”."),
        ({"reason": ""}, "reason", "Välj varför personen lämnar kön."),
        ({"reason": "allocated"}, "reason", "Välj ett av skälen i listan."),
        ({"reason": "moved_away", "left_on": "2001-01-01"}, "left_on", "före ködatumet"),
        ({"reason": "moved_away", "left_on": "i morgon"}, "left_on", "ÅÅÅÅ-MM-DD"),
        ({"reason": "moved_away", "left_on": "2999-01-01"}, "left_on", "i framtiden"),
        ({"reason": "other", "note": "x" * 501}, "note", "högst 500 tecken"),
    ],
)
def test_bad_input_gets_a_swedish_error_next_to_the_field_and_nothing_is_saved(
    cast, entry, data, field, message
):
    data = {"left_on": today().isoformat(), **data}
    response = signed_in(cast.case_worker).post(_url(cast, entry), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html
    assert message in html
    entry.refresh_from_db()
    assert entry.left_on is None and entry.left_reason == ""
    assert not AuditEvent.objects.filter(
        object_type="housing.WaitingEntry", action=Action.UPDATE
    ).exists()


def test_an_entry_already_left_is_not_found(cast, entry):
    entry.left_on = today()
    entry.save()
    assert signed_in(cast.case_worker).get(_url(cast, entry)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["colleague", "other_district_worker", "housing_support", "administrator"]
)
def test_nobody_outside_the_case_may_take_the_person_off_the_list(cast, entry, persona):
    assert signed_in(cast.case_worker).get(_url(cast, entry)).status_code == 200
    client = signed_in(getattr(cast, persona))
    assert client.get(_url(cast, entry)).status_code == 404
    response = client.post(_url(cast, entry), {"left_on": today(), "reason": "moved_away"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.left_on is None


def test_an_allocation_takes_the_person_off_the_list_with_the_reason_allocated(cast, entry):
    from brygga.housing import services
    from tests.housing.conftest import decision, flat

    request = type("R", (), {"user": cast.case_worker, "path": "/", "META": {}})()
    services.allocate(request, decision(cast.case), flat(cast.sodermalm), today(), None)
    entry.refresh_from_db()
    assert entry.left_on == today() and entry.left_reason == LeftReason.ALLOCATED
