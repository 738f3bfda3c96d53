"""A unit manager records a legal hold on a case with its ground and reason, and lifts it with
a reason; retention (gallring) keeps the case while the hold is in force."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case, Phase
from brygga.retention.models import HoldGround, LegalHold
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LATER = "2040-01-01"
REASON = "Vårdnadstvist prövas i tingsrätten (fiktivt)"


def page(case: Case) -> str:
    return f"/arenden/{case.pk}/bevarandebeslut/"


def lift_page(hold: LegalHold) -> str:
    return f"/arenden/{hold.case_id}/bevarandebeslut/{hold.pk}/upphav/"


def closed(case: Case) -> Case:
    case.phase = Phase.CLOSED
    case.closed_on = datetime.date(2026, 6, 30)
    case.save()
    return case


def gallring() -> str:
    out = io.StringIO()
    call_command("gallring", "--today", LATER, stdout=out, stderr=out)
    return out.getvalue()


def hold_on(case: Case, by) -> LegalHold:
    return LegalHold.objects.create(
        case=case, ground=HoldGround.COURT, reason=REASON, decided_by=by
    )


def test_the_unit_manager_records_a_hold_and_gallring_keeps_the_case(cast):
    case = closed(cast.case)
    client = signed_in(cast.unit_manager)

    response = client.post(page(case), {"ground": "court", "reason": REASON})

    assert response.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert (hold.ground, hold.reason, hold.decided_by) == ("court", REASON, cast.unit_manager)
    assert hold.decided_on == datetime.date.today()  # noqa: DTZ011
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="retention.LegalHold")
    assert (event.user_id, event.person_id) == (cast.unit_manager.pk, case.person_id)
    listing = client.get(page(case)).content.decode()
    assert REASON in listing
    assert "Upphäv beslutet" in listing
    assert "Gallrade ärenden: 0." in gallring()
    assert Case.objects.filter(pk=case.pk).exists()


def test_lifting_the_hold_needs_a_reason_and_then_gallring_removes_the_case(cast):
    case = closed(cast.case)
    hold = hold_on(case, cast.unit_manager)
    client = signed_in(cast.unit_manager)

    refused = client.post(lift_page(hold), {"reason": "  "})
    assert refused.status_code == 200
    assert "Skriv skälet." in refused.content.decode()
    assert LegalHold.objects.in_force().filter(pk=hold.pk).exists()  # nothing half-saved

    done = client.post(lift_page(hold), {"reason": "Domen har vunnit laga kraft (fiktivt)"})

    assert done.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_on == datetime.date.today()  # noqa: DTZ011
    assert hold.lifted_by == cast.unit_manager
    assert hold.lift_reason == "Domen har vunnit laga kraft (fiktivt)"
    listing = client.get(page(case)).content.decode()
    assert "Domen har vunnit laga kraft (fiktivt)" in listing
    assert "Upphäv beslutet" not in listing
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(hold.pk)).exists()
    assert "Gallrade ärenden: 1." in gallring()


def test_a_lifted_hold_cannot_be_lifted_again(cast):
    hold = hold_on(cast.case, cast.unit_manager)
    client = signed_in(cast.unit_manager)
    client.post(lift_page(hold), {"reason": "Domen har vunnit laga kraft (fiktivt)"})

    again = client.post(lift_page(hold), {"reason": "Ett andra försök att upphäva"})

    assert "Beslutet är redan upphävt." in again.content.decode()
    hold.refresh_from_db()
    assert hold.lift_reason == "Domen har vunnit laga kraft (fiktivt)"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"ground": "", "reason": REASON}, "Välj grunden för beslutet."),
        ({"ground": "whim", "reason": REASON}, "Välj en grund i listan."),
        ({"ground": "court", "reason": ""}, "Skriv skälet."),
        ({"ground": "court", "reason": "kort"}, "Skriv skälet med minst 10 tecken."),
    ],
)
def test_a_hold_without_a_ground_or_a_reason_is_refused_at_the_field(cast, data, error):
    response = signed_in(cast.unit_manager).post(page(cast.case), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Nytt bevarandebeslut" in response.content.decode()
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize(
    "persona", ["case_worker", "colleague", "other_district_manager", "administrator"]
)
def test_only_the_unit_manager_may_decide(cast, persona):
    hold = hold_on(cast.case, cast.unit_manager)
    client = signed_in(getattr(cast, persona))

    assert client.get(page(cast.case)).status_code == 404
    assert client.post(page(cast.case), {"ground": "court", "reason": REASON}).status_code == 404
    assert client.post(lift_page(hold), {"reason": "Försök av fel person"}).status_code == 404
    assert LegalHold.objects.count() == 1
    assert LegalHold.objects.in_force().count() == 1
    assert signed_in(cast.unit_manager).get(page(cast.case)).status_code == 200  # positive marker


def test_a_hold_of_another_case_is_not_found_under_this_case(cast):
    from tests.factories import case_with_team

    other = case_with_team(cast.sodermalm, cast.case_worker)
    hold = hold_on(other, cast.unit_manager)
    client = signed_in(cast.unit_manager)

    response = client.post(
        f"/arenden/{cast.case.pk}/bevarandebeslut/{hold.pk}/upphav/", {"reason": "Fel ärende här"}
    )

    assert response.status_code == 404
    assert client.get(lift_page(hold)).status_code == 200  # under its own case it is found
    assert LegalHold.objects.in_force().filter(pk=hold.pk).exists()


def test_the_case_page_links_to_the_holds_for_the_manager_only(cast):
    manager_view = signed_in(cast.unit_manager).get(f"/arenden/{cast.case.pk}/").content.decode()
    worker_view = signed_in(cast.case_worker).get(f"/arenden/{cast.case.pk}/").content.decode()

    assert page(cast.case) in manager_view
    assert page(cast.case) not in worker_view
    assert "Journal" in worker_view


def test_the_page_runs_the_same_number_of_queries_however_many_holds(
    cast, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(cast.unit_manager)
    hold_on(cast.case, cast.unit_manager)
    client.get(page(cast.case))
    with CaptureQueriesContext(connection) as one:
        client.get(page(cast.case))
    for _ in range(5):
        hold_on(cast.case, cast.case_worker)
    with django_assert_num_queries(len(one)):
        listing = client.get(page(cast.case)).content.decode()
    assert listing.count(REASON) == 6
