"""The precomputed case state follows every change it is computed from, in the same
transaction, and the bulk rebuild gives the same rows (decision 0120)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from brygga.cases.models import RiskAssessment, RiskInstrument
from brygga.journal.models import JournalNote
from brygga.support import signals, state
from brygga.support.models import (
    CARRIED_WITHOUT_END,
    AssessmentRound,
    CaseAreaState,
    CaseState,
    InterventionStatus,
)
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, follow_up, intervention, task, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def area_state(case, area):
    return CaseAreaState.objects.get(case=case, area=area)


def case_state(case):
    return CaseState.objects.get(case=case)


def gaps(case):
    from brygga.cases.models import Case
    from brygga.support import queries

    return sorted(queries.gaps_by_case(Case.objects.filter(pk=case.pk), today()).get(case.pk, []))


def test_a_new_case_starts_with_its_core_needs_unassessed_and_nothing_recorded(cast):
    rows = CaseAreaState.objects.filter(case=cast.case).order_by("area")
    assert [(r.area, r.level, r.carried_until) for r in rows] == [
        ("housing", None, None),
        ("occupation", None, None),
        ("social", None, None),
    ]
    fresh = case_state(cast.case)
    assert (fresh.last_contact_on, fresh.next_follow_up_on, fresh.risk_review_on) == (
        None,
        None,
        None,
    )
    assert gaps(cast.case) == ["housing", "occupation", "social"]


def test_each_assessment_moves_the_latest_level_and_keeps_the_one_before(cast):
    assess(cast.case, today() - 20 * DAY, housing=4, economy=2)
    assert (area_state(cast.case, "housing").level, area_state(cast.case, "economy").level) == (
        4,
        2,
    )
    assess(cast.case, today() - 5 * DAY, housing=2)
    housing = area_state(cast.case, "housing")
    assert (housing.level, housing.previous_level, housing.assessed_on) == (
        2,
        4,
        today() - 5 * DAY,
    )
    found = signals.signals_for_cases([cast.case.pk], today())[cast.case.pk]
    assert [s.kind for s in found if s.kind == "need_worse"] == ["need_worse"]
    assert gaps(cast.case) == ["economy", "housing", "occupation", "social"]


def test_a_later_round_on_the_same_day_is_the_latest(cast):
    on = today() - 3 * DAY
    assess(cast.case, on, social=2)
    assess(cast.case, on, social=5)
    social = area_state(cast.case, "social")
    assert (social.level, social.previous_level) == (5, 2)


def test_an_assessment_recorded_on_the_page_updates_the_state_at_once(cast):
    response = signed_in(cast.case_worker).post(
        reverse("support:assessment_new", args=[cast.case.pk]),
        {"assessed_on": today().isoformat(), "housing-worker_level": "1"},
    )
    assert response.status_code == 302
    assert area_state(cast.case, "housing").level == 1


def test_a_gap_closes_when_a_decision_carries_the_area_and_opens_when_it_ends(cast):
    assess(cast.case, today(), housing=2, occupation=5, social=5)
    assert gaps(cast.case) == ["housing"]
    decision = intervention(
        cast.case, "Jourlägenhet", InterventionStatus.GRANTED, period_end=today() + 10 * DAY
    )
    assert area_state(cast.case, "housing").carried_until == today() + 10 * DAY
    assert gaps(cast.case) == []
    decision.status = InterventionStatus.ENDED
    decision.save()
    assert area_state(cast.case, "housing").carried_until is None
    assert gaps(cast.case) == ["housing"]


def test_a_decision_that_has_run_out_no_longer_carries_without_any_save(cast):
    assess(cast.case, today(), housing=2, occupation=5, social=5)
    intervention(cast.case, "Jourlägenhet", InterventionStatus.ACTIVE, period_end=today() - DAY)
    assert gaps(cast.case) == ["housing"]


def test_an_owned_task_carries_the_area_until_it_is_done(cast):
    assess(cast.case, today(), housing=5, occupation=2, social=5)
    owned = task(cast.case, "occupation", organisation="Jobbtorg")
    assert area_state(cast.case, "occupation").carried_until == CARRIED_WITHOUT_END
    assert gaps(cast.case) == []
    owned.done_at = timezone.now()
    owned.save()
    assert gaps(cast.case) == ["occupation"]
    task(cast.case, "occupation")  # nobody owns it: carries nothing
    assert gaps(cast.case) == ["occupation"]


def test_the_next_follow_up_moves_on_when_it_is_held_and_a_held_one_is_a_contact(cast):
    first = follow_up(cast.case, today() - 3 * DAY)
    follow_up(cast.case, today() + 30 * DAY)
    assert case_state(cast.case).next_follow_up_on == today() - 3 * DAY
    first.held_on, first.contact_made = today() - DAY, True
    first.save()
    held = case_state(cast.case)
    assert (held.next_follow_up_on, held.last_contact_on) == (today() + 30 * DAY, today() - DAY)


def test_a_follow_up_held_without_reaching_the_person_is_no_contact(cast):
    follow_up(cast.case, today() - 3 * DAY, held_on=today() - 2 * DAY, contact_made=False)
    assert case_state(cast.case).last_contact_on is None


def test_a_signed_journal_note_is_a_contact_and_a_draft_is_not(cast):
    JournalNote.objects.create(
        case=cast.case, author=cast.case_worker, title="Utkast", text="Halvfärdig"
    )
    assert case_state(cast.case).last_contact_on is None
    JournalNote.objects.create(
        case=cast.case,
        author=cast.case_worker,
        title="Samtal",
        text="Samtal om boendet",
        written_on=today() - 4 * DAY,
        signed_at=timezone.now(),
    )
    assert case_state(cast.case).last_contact_on == today() - 4 * DAY


def test_the_latest_risk_assessment_sets_the_review_date(cast):
    def risk(on, review):
        return RiskAssessment.objects.create(
            case=cast.case,
            instrument=RiskInstrument.PATRIARK,
            assessed_on=on,
            next_review_on=review,
        )

    risk(today() - 40 * DAY, today() - 10 * DAY)
    assert case_state(cast.case).risk_review_on == today() - 10 * DAY
    latest = risk(today() - 5 * DAY, today() + 60 * DAY)
    assert case_state(cast.case).risk_review_on == today() + 60 * DAY
    latest.delete()
    assert case_state(cast.case).risk_review_on == today() - 10 * DAY


def test_deleting_an_assessment_round_goes_back_to_the_one_before(cast):
    assess(cast.case, today() - 9 * DAY, housing=3)
    later = assess(cast.case, today() - DAY, housing=5)
    AssessmentRound.objects.filter(pk=later.pk).delete()
    housing = area_state(cast.case, "housing")
    assert (housing.level, housing.previous_level) == (3, None)


def test_deleting_a_case_takes_its_state_with_it(cast):
    assess(cast.case, today(), housing=2)
    follow_up(cast.case, today())
    with transaction.atomic():
        cast.case.delete()
    assert not CaseState.objects.exists()
    assert not CaseAreaState.objects.exists()


def _rows():
    return (
        sorted(
            CaseState.objects.values_list(
                "case_id", "last_contact_on", "next_follow_up_on", "risk_review_on"
            )
        ),
        sorted(
            CaseAreaState.objects.values_list(
                "case_id", "area", "level", "assessed_on", "previous_level", "carried_until"
            )
        ),
    )


def test_the_bulk_rebuild_gives_the_rows_kept_on_save(cast):
    other = case_with_team(cast.sodermalm, cast.colleague)
    assess(cast.case, today() - 30 * DAY, housing=4, health=2)
    assess(cast.case, today() - 2 * DAY, housing=1)
    intervention(cast.case, "Jourlägenhet", InterventionStatus.GRANTED)
    task(other, "social", organisation="Kvinnojouren")
    follow_up(other, today() - 5 * DAY, held_on=today() - 4 * DAY, contact_made=True)
    follow_up(other, today() + 5 * DAY)
    kept_on_save = _rows()
    assert state.rebuild() == (2, len(kept_on_save[1]))
    assert _rows() == kept_on_save
