"""The phase follows the facts (issue 12): a move-out moves the case on; a relapse proposes a
phase the worker confirms in one click or overrides; the timeline says who did which."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.cases.models import OutcomeKind, Phase, PhaseChange, PhaseReason
from brygga.cases.rules import phase_after_move_out, phase_proposed_after
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, case, *args):
    return reverse(name, args=[case.pk, *args])


@pytest.fixture
def case(cast):
    cast.case.opened_on = TODAY - 400 * DAY
    cast.case.save(update_fields=["opened_on"])
    return cast.case


def in_phase(case, phase):
    case.phase = phase
    case.save(update_fields=["phase"])
    return case


def timeline(client, case) -> str:
    return client.get(url("case_timeline", case)).text


def test_recording_the_move_out_moves_the_case_from_protected_housing_to_moving_out(cast, case):
    client = signed_in(cast.case_worker)
    moved_out = TODAY - 3 * DAY
    response = client.post(
        url("case_add_stay", case),
        {
            "provider": "Fiktivt skyddat boende",
            "started_on": (TODAY - 90 * DAY).isoformat(),
            "ended_on": moved_out.isoformat(),
        },
        follow=True,
    )
    case.refresh_from_db()
    assert case.phase == Phase.MOVING_OUT
    change = case.phase_changes.get(phase=Phase.MOVING_OUT)
    assert change.entered_on == moved_out and change.reason == PhaseReason.MOVE_OUT
    assert change.created_by == cast.case_worker
    assert "Utflyttningen flyttade ärendet till fasen Utslussning" in response.text
    who = cast.case_worker.get_full_name()
    assert f"Följde av utflyttningen som {who} registrerade" in timeline(client, case)


def test_an_ongoing_stay_leaves_the_case_in_protected_housing(cast, case):
    client = signed_in(cast.case_worker)
    response = client.post(
        url("case_add_stay", case),
        {"provider": "Fiktivt skyddat boende", "started_on": (TODAY - 9 * DAY).isoformat()},
        follow=True,
    )
    case.refresh_from_db()
    assert "Vistelsen är sparad." in response.text and case.stays.count() == 1
    assert case.phase == Phase.PROTECTED_HOUSING
    assert not PhaseChange.objects.filter(case=case).exists()


def test_adding_the_move_out_date_to_a_stay_later_moves_the_case_too(cast, case):
    client = signed_in(cast.case_worker)
    started = (TODAY - 60 * DAY).isoformat()
    client.post(url("case_add_stay", case), {"provider": "Boende A", "started_on": started})
    stay = case.stays.get()
    client.post(
        url("case_edit_stay", case, stay.pk),
        {
            "provider": "Boende A",
            "started_on": started,
            "ended_on": (TODAY - DAY).isoformat(),
            "version": stay.version,
        },
    )
    case.refresh_from_db()
    assert case.phase == Phase.MOVING_OUT


def test_a_move_out_changes_nothing_for_a_case_already_further_on(cast, case):
    in_phase(case, Phase.ESTABLISHING)
    signed_in(cast.case_worker).post(
        url("case_add_stay", case),
        {
            "provider": "Boende A",
            "started_on": (TODAY - 90 * DAY).isoformat(),
            "ended_on": (TODAY - 30 * DAY).isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.stays.count() == 1
    assert case.phase == Phase.ESTABLISHING


def record_relapse(client, case, kind=OutcomeKind.NEW_PROTECTED_STAY, on=TODAY - 2 * DAY):
    return client.post(
        url("case_add_outcome", case), {"kind": kind, "occurred_on": on.isoformat(), "note": ""}
    )


def test_a_relapse_proposes_the_phase_and_one_click_confirms_it(cast, case):
    in_phase(case, Phase.ESTABLISHING)
    client = signed_in(cast.case_worker)
    response = record_relapse(client, case)
    assert response.status_code == 302 and response.url == url("case_change_phase", case)
    page = client.get(response.url).text
    assert "Förslag efter återfallet" in page
    assert "Byt till Skyddat boende" in page and "Behåll fasen Etablering" in page

    client.post(
        url("case_change_phase", case),
        {
            "phase": Phase.PROTECTED_HOUSING,
            "entered_on": (TODAY - 2 * DAY).isoformat(),
            "current_phase": Phase.ESTABLISHING,
            "reason": "relapse",
        },
    )
    case.refresh_from_db()
    assert case.phase == Phase.PROTECTED_HOUSING
    who = cast.case_worker.get_full_name()
    assert f"Föreslagen efter ett återfall, bekräftad av {who}" in timeline(client, case)
    # Confirmed: the proposal is not offered again.
    assert "Förslag efter återfallet" not in client.get(url("case_change_phase", case)).text


def test_the_worker_may_override_the_proposal_with_another_phase(cast, case):
    in_phase(case, Phase.OWN_FEET)
    client = signed_in(cast.case_worker)
    record_relapse(client, case, kind=OutcomeKind.RETURNED_TO_FAMILY)
    assert "Byt till Utslussning" in client.get(url("case_change_phase", case)).text
    client.post(
        url("case_change_phase", case),
        {
            "phase": Phase.CLOSED,
            "entered_on": TODAY.isoformat(),
            "current_phase": Phase.OWN_FEET,
            # A forged confirmation of a phase that was not proposed counts as a choice.
            "reason": "relapse",
        },
    )
    change = case.phase_changes.get(phase=Phase.CLOSED)
    assert change.reason == PhaseReason.CHOSEN
    assert f"Ändrad av {cast.case_worker.get_full_name()}" in timeline(client, case)


def test_an_outcome_that_is_no_relapse_goes_back_to_the_case_without_a_proposal(cast, case):
    in_phase(case, Phase.ESTABLISHING)
    client = signed_in(cast.case_worker)
    response = record_relapse(client, case, kind=OutcomeKind.STARTED_WORK)
    assert response.status_code == 302 and response.url == url("case_detail", case)
    page = client.get(url("case_change_phase", case)).text
    assert "Nuvarande fas: Etablering." in page
    assert "Förslag efter återfallet" not in page


@pytest.mark.parametrize(
    ("kind", "current", "proposed"),
    [
        (OutcomeKind.NEW_PROTECTED_STAY, Phase.MOVING_OUT, Phase.PROTECTED_HOUSING),
        (OutcomeKind.NEW_PROTECTED_STAY, Phase.OWN_FEET, Phase.PROTECTED_HOUSING),
        (OutcomeKind.NEW_PROTECTED_STAY, Phase.PROTECTED_HOUSING, None),
        (OutcomeKind.NEW_PROTECTED_STAY, Phase.CLOSED, None),
        (OutcomeKind.RETURNED_TO_FAMILY, Phase.ESTABLISHING, Phase.MOVING_OUT),
        (OutcomeKind.RETURNED_TO_FAMILY, Phase.PROTECTED_HOUSING, None),
        (OutcomeKind.OWN_TENANCY, Phase.MOVING_OUT, None),
    ],
)
def test_the_proposal_rule(kind, current, proposed):
    assert phase_proposed_after(kind, current) == proposed


def test_the_move_out_rule():
    assert phase_after_move_out(Phase.PROTECTED_HOUSING, TODAY) == Phase.MOVING_OUT
    assert phase_after_move_out(Phase.PROTECTED_HOUSING, None) is None
    assert phase_after_move_out(Phase.ESTABLISHING, TODAY) is None


def test_the_phase_page_runs_the_same_queries_however_long_the_history(cast, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(cast.case_worker)
    page = url("case_change_phase", case)
    in_phase(case, Phase.ESTABLISHING)
    record_relapse(client, case, on=TODAY - 20 * DAY)
    with CaptureQueriesContext(connection) as few:
        assert "Förslag efter återfallet" in client.get(page).text
    for days_ago in range(2, 12):
        record_relapse(client, case, on=TODAY - days_ago * DAY)
    with CaptureQueriesContext(connection) as many:
        assert "Förslag efter återfallet" in client.get(page).text
    assert len(many) == len(few)
