"""Each figure against a handful of cases whose answer is worked out by hand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from brygga.cases.models import (
    Case,
    OutcomeEvent,
    OutcomeKind,
    Phase,
    PhaseChange,
    ProtectedHousingStay,
)
from brygga.people.models import Gender
from brygga.stats import figures, survival
from brygga.stats.periods import Period
from brygga.support.models import InterventionStatus
from tests.factories import CaseFactory, PersonFactory, UnitFactory
from tests.support.conftest import assess, follow_up, intervention

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(2025)
TODAY = D(2026, 3, 1)


@pytest.fixture
def kista():
    return UnitFactory(name="RVT Kista", administration__name="Kista stadsdelsförvaltning")


def case(unit, opened, *, gender=Gender.WOMAN, born=2000, phase=Phase.ESTABLISHING, **kw):
    person = PersonFactory(gender=gender, birth_year=born)
    return CaseFactory(person=person, owning_unit=unit, opened_on=opened, phase=phase, **kw)


def test_cases_by_phase_counts_cases_open_in_the_period_in_their_phase_on_the_last_day(kista):
    a = case(kista, D(2024, 5, 1), phase=Phase.OWN_FEET)
    PhaseChange.objects.create(case=a, phase=Phase.MOVING_OUT, entered_on=D(2025, 2, 1))
    PhaseChange.objects.create(case=a, phase=Phase.OWN_FEET, entered_on=D(2026, 1, 10))
    case(kista, D(2025, 3, 1), gender=Gender.MAN, born=1990, phase=Phase.MOVING_OUT)
    case(kista, D(2023, 1, 1), phase=Phase.CLOSED, closed_on=D(2024, 6, 1))  # before
    case(kista, D(2026, 1, 5))  # after

    counts = figures.cases_by_phase(Case.objects.all(), YEAR, ["Kista"], False, TODAY)

    # On 31 Dec 2025 the first case was still moving out (own feet came in January).
    assert counts.matrix("place", "phase") == [[0, 2, 0, 0, 0]]
    assert counts.matrix("gender", "phase") == [[0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0] * 5]
    # Ages on 31 Dec 2025: 25 (born 2000) and 35 (born 1990).
    assert counts.matrix("age", "phase") == [[0] * 5, [0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0] * 5]


def test_new_cases_fall_in_their_quarter(kista):
    for opened in (D(2025, 1, 5), D(2025, 3, 31), D(2025, 4, 1), D(2025, 12, 31), D(2024, 12, 31)):
        case(kista, opened)

    counts = figures.new_cases(Case.objects.all(), YEAR, ["Kista"], False)

    assert counts.matrix("place", "part") == [[2, 1, 0, 1]]
    quarter = figures.new_cases(Case.objects.all(), Period(2025, 1), ["Kista"], False)
    assert quarter.matrix("place", "part") == [[1, 0, 1]]  # January and March


def test_decision_periods_give_the_median_and_the_decisions_under_the_minimum(kista):
    c = case(kista, D(2025, 1, 1))
    # Boendestöd: minimum 6 months. 12, 6 and 3 months long.
    for start, end in ((D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 2, 1), D(2025, 7, 31)),
                       (D(2025, 3, 1), D(2025, 5, 31))):  # fmt: skip
        intervention(c, "Boendestöd / boendelots", InterventionStatus.ACTIVE,
                     period_start=start, period_end=end)  # fmt: skip
    intervention(c, "Boendestöd / boendelots", InterventionStatus.ACTIVE,
                 period_start=D(2024, 3, 1), period_end=D(2024, 5, 31))  # fmt: skip

    (housing,) = figures.decision_periods(Case.objects.all(), YEAR)

    assert housing.decisions == 3
    assert housing.median_months == pytest.approx(6.0, abs=0.1)
    assert housing.under_minimum == 1


def test_follow_ups_are_on_time_within_two_weeks_late_after_or_not_held(kista):
    c = case(kista, D(2024, 1, 1))
    follow_up(c, D(2025, 2, 1), held_on=D(2025, 2, 15))  # 14 days: on time
    follow_up(c, D(2025, 3, 1), held_on=D(2025, 3, 16))  # 15 days: late
    follow_up(c, D(2025, 4, 1))  # never held
    follow_up(c, D(2026, 4, 1))  # after the period

    counts = figures.follow_ups(Case.objects.all(), YEAR, ["Kista"], False, TODAY)

    assert counts.matrix("place", "status") == [[1, 1, 1]]


def test_needs_over_time_compare_the_first_level_with_the_twelve_month_follow_up(kista):
    improved, same = case(kista, D(2024, 1, 1)), case(kista, D(2024, 1, 1))
    for c, later in ((improved, 4), (same, 2)):
        assess(c, D(2024, 2, 1), housing=2, occupation=3)
        round_ = assess(c, D(2025, 2, 1), housing=later, occupation=1)
        follow_up(c, D(2025, 2, 1), months=12, held_on=D(2025, 2, 1), assessment_round=round_)

    counts = figures.needs_over_time(Case.objects.all(), YEAR, TODAY)

    housing, occupation, social = counts.matrix("area", "change")
    assert housing == [1, 1, 0]
    assert occupation == [0, 0, 2]
    assert social == [0, 0, 0]


def test_interventions_count_those_granted_or_under_way_in_the_period_by_gender(kista):
    woman, man = case(kista, D(2024, 1, 1)), case(kista, D(2024, 1, 1), gender=Gender.MAN)
    intervention(woman, "Kontaktperson", InterventionStatus.ACTIVE, period_start=D(2025, 5, 1))
    intervention(man, "Kontaktperson", InterventionStatus.ENDED,
                 period_start=D(2024, 5, 1), period_end=D(2025, 1, 31))  # fmt: skip
    intervention(man, "Kontaktperson", InterventionStatus.ENDED,
                 period_start=D(2023, 5, 1), period_end=D(2024, 1, 31))  # fmt: skip
    intervention(woman, "Kontaktperson", InterventionStatus.REFUSED, decision_on=D(2025, 3, 1))

    counts = figures.interventions(Case.objects.all(), YEAR)

    assert counts.rows["type"] == ["Socialt stöd: Kontaktperson"]
    assert counts.matrix("type", "gender") == [[1, 1, 0]]


def test_survival_observations_start_at_the_first_exit_and_censor_as_they_should(kista):
    cut = D(2025, 12, 31)

    def left(opened, exit_day, *events, **kw):
        c = case(kista, opened, **kw)
        ProtectedHousingStay.objects.create(case=c, provider="x", started_on=opened,
                                            ended_on=exit_day)  # fmt: skip
        for kind, on in events:
            OutcomeEvent.objects.create(case=c, kind=kind, occurred_on=on)
        return c

    relapsed = left(D(2025, 1, 1), D(2025, 2, 1), (OutcomeKind.RETURNED_TO_FAMILY, D(2025, 3, 3)))
    # A second stay later does not move the start: the clock runs from the first exit.
    ProtectedHousingStay.objects.create(case=relapsed, provider="x", started_on=D(2025, 3, 3),
                                        ended_on=D(2025, 6, 1))  # fmt: skip
    left(D(2025, 1, 1), D(2025, 2, 1), (OutcomeKind.LOST_CONTACT, D(2025, 4, 2)),
         (OutcomeKind.RETURNED_TO_FAMILY, D(2025, 5, 1)))  # fmt: skip
    left(D(2025, 1, 1), D(2025, 2, 1), phase=Phase.CLOSED, closed_on=D(2025, 3, 13))
    left(D(2025, 1, 1), D(2025, 11, 30))  # still followed at the cut-off
    left(D(2025, 1, 1), D(2026, 1, 10))  # left after the cut-off: not in the cohort
    case(kista, D(2025, 1, 1))  # never left

    rows = survival.observations(Case.objects.all(), "relapse", cut)

    got = sorted((o.days, o.event, o.count) for o in rows)
    # Relapse 1 Feb → 3 Mar: 30 days. Followed 30 Nov → 31 Dec: 31. Closed 13 Mar: 40.
    # Contact lost 2 Apr: 60, censored there (the later return is not known to count).
    assert got == [(30, True, 1), (31, False, 1), (40, False, 1), (60, False, 1)]
    assert {o.district for o in rows} == {"Kista stadsdelsförvaltning"}


def test_time_to_an_own_lease_and_to_occupation_run_the_same_clock_from_the_first_exit(kista):
    cut = D(2025, 12, 31)

    def left(exit_day, *events):
        c = case(kista, D(2025, 1, 1))
        ProtectedHousingStay.objects.create(case=c, provider="x", started_on=D(2025, 1, 1),
                                            ended_on=exit_day)  # fmt: skip
        for kind, on in events:
            OutcomeEvent.objects.create(case=c, kind=kind, occurred_on=on)

    # Lease 1 Feb → 3 Mar (30 days), then work 1 Feb → 12 Mar (39 days).
    left(D(2025, 2, 1), (OutcomeKind.OWN_TENANCY, D(2025, 3, 3)),
         (OutcomeKind.STARTED_WORK, D(2025, 3, 12)))  # fmt: skip
    # Studies 1 Mar → 31 Mar (30 days); no lease: followed until the cut-off (305 days).
    left(D(2025, 3, 1), (OutcomeKind.STARTED_STUDIES, D(2025, 3, 31)))
    # A relapse is no lease and no occupation: followed to the cut-off (244 days) for both.
    left(D(2025, 5, 1), (OutcomeKind.RETURNED_TO_FAMILY, D(2025, 6, 1)))

    def got(endpoint):
        rows = survival.observations(Case.objects.all(), endpoint, cut)
        return sorted((o.days, o.event, o.count) for o in rows)

    assert got("own_lease") == [(30, True, 1), (244, False, 1), (305, False, 1)]
    assert got("occupation") == [(30, True, 1), (39, True, 1), (244, False, 1)]
    assert got("relapse") == [(31, True, 1), (305, False, 1), (333, False, 1)]


def test_gaps_count_needs_nobody_carries_by_how_long_they_have_stood(kista):
    c = case(kista, D(2025, 1, 1))
    assess(c, TODAY - datetime.timedelta(days=100), housing=2, social=5)
    other = case(kista, D(2025, 1, 1))
    assess(other, TODAY - datetime.timedelta(days=10), housing=3)

    counts = figures.responsibility_gaps(Case.objects.all(), TODAY)

    housing, occupation, social, *others = counts.matrix("area", "age")
    assert housing == [1, 0, 1]
    # Never assessed: a gap since the opening (both opened long ago).
    assert occupation == [0, 0, 2]
    assert social == [0, 0, 1]
    assert sum(map(sum, others)) == 0


def test_a_core_need_never_assessed_counts_as_a_gap_since_the_case_opened(kista):
    recent = case(kista, TODAY - datetime.timedelta(days=40))
    assess(recent, TODAY - datetime.timedelta(days=5), housing=5, social=5)
    case(kista, D(2025, 1, 1), phase=Phase.CLOSED)  # a closed case has no gaps

    counts = figures.responsibility_gaps(Case.objects.all(), TODAY)

    housing, occupation, social, *_ = counts.matrix("area", "age")
    assert occupation == [0, 1, 0]  # 30–89 days, counted from the opening
    assert housing == [0, 0, 0] and social == [0, 0, 0]


def test_early_warnings_count_open_cases_with_each_signal_today(kista):
    today = timezone.localdate()
    returned = case(kista, today - datetime.timedelta(days=200))
    OutcomeEvent.objects.create(
        case=returned, kind=OutcomeKind.RETURNED_TO_FAMILY, occurred_on=today
    )
    closed = case(kista, today - datetime.timedelta(days=200), phase=Phase.CLOSED)
    OutcomeEvent.objects.create(case=closed, kind=OutcomeKind.RETURNED_TO_FAMILY, occurred_on=today)

    counts = figures.early_warnings(Case.objects.all(), today)

    by_label = dict(
        zip(
            counts.rows["signal"], (row[0] for row in counts.matrix("signal", "cases")), strict=True
        )
    )
    assert by_label["Återvänt till familjen"] == 1  # the closed case is not counted
