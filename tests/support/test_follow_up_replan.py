"""Follow-ups move with the exit date: a corrected stay re-plans those not yet held."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import ProtectedHousingStay
from brygga.support.models import FollowUp
from brygga.support.rules import add_months
from tests.conftest import signed_in
from tests.support.conftest import follow_up, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
STARTED = today() - 400 * DAY
FIRST_EXIT = today() - 100 * DAY
CORRECTED_EXIT = today() - 90 * DAY


@pytest.fixture
def stay(cast):
    """Lejla left the shelter 100 days ago; her follow-ups were planned from that day."""
    stay = ProtectedHousingStay.objects.create(
        case=cast.case, provider="Skyddat boende Linden", started_on=STARTED, ended_on=FIRST_EXIT
    )
    cast.case.left_protected_housing_on = FIRST_EXIT
    cast.case.save(update_fields=["left_protected_housing_on"])
    return stay


def correct_exit(cast, stay, ended_on, *, provider="Skyddat boende Linden"):
    return signed_in(cast.case_worker).post(
        reverse("case_edit_stay", args=[cast.case.pk, stay.pk]),
        {
            "provider": provider,
            "started_on": STARTED.isoformat(),
            "ended_on": ended_on.isoformat(),
            "version": stay.version,
        },
    )


def planned(case):
    return dict(FollowUp.objects.filter(case=case).values_list("months", "planned_on"))


def test_correcting_the_exit_date_moves_the_follow_ups_not_yet_held(cast, stay):
    held = follow_up(cast.case, add_months(FIRST_EXIT, 1), months=1, held_on=today() - 60 * DAY)
    follow_up(cast.case, add_months(FIRST_EXIT, 3), months=3)
    follow_up(cast.case, add_months(FIRST_EXIT, 6), months=6)

    response = correct_exit(cast, stay, CORRECTED_EXIT)

    assert response.status_code == 302
    assert planned(cast.case) == {
        1: add_months(FIRST_EXIT, 1),  # held: it happened when it happened
        3: add_months(CORRECTED_EXIT, 3),
        6: add_months(CORRECTED_EXIT, 6),
    }
    held.refresh_from_db()
    assert held.held_on == today() - 60 * DAY


def test_each_moved_follow_up_is_audited_and_the_held_one_is_not(cast, stay):
    held = follow_up(cast.case, add_months(FIRST_EXIT, 1), months=1, held_on=today() - 60 * DAY)
    moved = follow_up(cast.case, add_months(FIRST_EXIT, 3), months=3)

    correct_exit(cast, stay, CORRECTED_EXIT)

    events = AuditEvent.objects.filter(action=Action.UPDATE, object_type__icontains="followup")
    assert [(e.object_id, e.detail) for e in events] == [
        (str(moved.pk), {"fields": ["planned_on"]})
    ]
    assert str(held.pk) not in {e.object_id for e in events}
    assert all(e.user_id == cast.case_worker.pk for e in events)
    assert all(e.person_id == cast.case.person_id for e in events)


def test_a_moved_follow_up_has_a_new_version_so_an_edit_begun_before_is_refused(cast, stay):
    moved = follow_up(cast.case, add_months(FIRST_EXIT, 3), months=3)

    correct_exit(cast, stay, CORRECTED_EXIT)

    before = moved.version
    moved.refresh_from_db()
    assert moved.version == before + 1
    assert moved.planned_on == add_months(CORRECTED_EXIT, 3)


def test_a_follow_up_planned_outside_the_schedule_stays_where_it_is(cast, stay):
    extra = follow_up(cast.case, today() + 5 * DAY)  # booked by hand, no months
    scheduled = follow_up(cast.case, add_months(FIRST_EXIT, 6), months=6)

    correct_exit(cast, stay, CORRECTED_EXIT)

    extra.refresh_from_db()
    scheduled.refresh_from_db()
    assert extra.planned_on == today() + 5 * DAY
    assert scheduled.planned_on == add_months(CORRECTED_EXIT, 6)


def test_an_edit_that_keeps_the_exit_date_moves_nothing(cast, stay):
    kept = follow_up(cast.case, add_months(FIRST_EXIT, 3) + 2 * DAY, months=3)  # moved by hand

    response = correct_exit(cast, stay, FIRST_EXIT, provider="Skyddat boende Eken")

    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.provider == "Skyddat boende Eken"  # the edit itself was saved
    kept.refresh_from_db()
    assert kept.planned_on == add_months(FIRST_EXIT, 3) + 2 * DAY
    assert not AuditEvent.objects.filter(object_type__icontains="followup").exists()


def test_a_later_stay_moves_the_exit_date_and_the_follow_ups_with_it(cast, stay):
    follow_up(cast.case, add_months(FIRST_EXIT, 12), months=12)
    later_exit = today() - 10 * DAY

    response = signed_in(cast.case_worker).post(
        reverse("case_add_stay", args=[cast.case.pk]),
        {
            "provider": "Skyddat boende Eken",
            "started_on": (today() - 50 * DAY).isoformat(),
            "ended_on": later_exit.isoformat(),
        },
    )

    assert response.status_code == 302
    assert planned(cast.case) == {12: add_months(later_exit, 12)}


def test_no_follow_up_is_added_by_a_correction_planning_stays_the_workers_step(cast, stay):
    follow_up(cast.case, add_months(FIRST_EXIT, 3), months=3)

    correct_exit(cast, stay, CORRECTED_EXIT)

    assert planned(cast.case) == {3: add_months(CORRECTED_EXIT, 3)}
