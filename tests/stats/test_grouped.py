"""The board report's grouped queries give the same numbers as the shared queries they replace.

`grouped.gap_groups` replaces, for the board's gap table, `support.queries.gap_rows` and
`unassessed_gap_cases` (the shape the report used before); `grouped.district_facts` replaces
`network.equality.district_facts` for the equal-access section, `grouped.signal_counts`
counting `support.signals.signals_for_cases`' signals per kind. They run on SQLite and on
PostgreSQL (BRYGGA_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Count, Q, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Case, OutcomeEvent
from brygga.network import equality
from brygga.organisation.models import Administration
from brygga.stats import figures, grouped
from brygga.stats.periods import Period
from brygga.support import queries, signals
from brygga.support.areas import CORE_AREAS
from brygga.support.models import EarlyWarningSettings, FollowUp, InterventionType
from tests.network.test_views import sodermalm  # noqa: F401 - the city view's hand-counted data
from tests.support.conftest import follow_up, today
from tests.support.test_gaps_agree import AREAS, DAY, TODAY, build
from tests.support.test_signals import TODAY as S_TODAY
from tests.support.test_signals import build as build_signal_case
from tests.support.test_signals import case_data as signal_case_data

pytestmark = pytest.mark.django_db
D = datetime.date


def old_gap_table(cases, day: datetime.date) -> dict[tuple[str, int], int]:
    """The board's gap table the way it was counted before (support.queries' shapes)."""

    def age(field: str) -> When_:
        return When_(
            When(**{f"{field}__gt": day - 30 * DAY}, then=Value(0)),
            When(**{f"{field}__gt": day - 90 * DAY}, then=Value(1)),
            default=Value(2),
        )

    found: dict[tuple[str, int], int] = {}
    assessed = (
        queries.gap_rows(cases, day)
        .annotate(age=age("assessed_on"))
        .values("area", "age")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in assessed:
        found[(row["area"], row["age"])] = row["n"]
    per_area = {
        a.value: Count("pk", filter=Q(**{queries.unassessed_flag(a.value): True}))
        for a in CORE_AREAS
    }
    unassessed = (
        queries.unassessed_gap_cases(cases, day)
        .annotate(age=age("opened_on"))
        .values("age")
        .annotate(**per_area)
        .order_by()
    )
    for row in unassessed:
        for a in CORE_AREAS:
            if row[a.value]:
                key = (a.value, row["age"])
                found[key] = found.get(key, 0) + row[a.value]
    return found


# As tests/support/test_gaps_agree.py's cases, with assessments up to four months old so
# every age of a gap occurs, and cases opened as long ago.
case_data = st.fixed_dictionaries(
    {
        "phase": st.sampled_from(["protected_housing", "moving_out", "establishing", "closed"]),
        "opened_days_ago": st.integers(0, 120),
        "levels": st.lists(
            st.tuples(st.sampled_from(AREAS), st.integers(0, 120), st.integers(1, 5)),
            max_size=5,
        ),
        "interventions": st.lists(
            st.tuples(
                st.sampled_from(AREAS),
                st.sampled_from(["planned", "granted", "active", "ended", "refused"]),
                st.none() | st.integers(-3, 3),
            ),
            max_size=3,
        ),
        "tasks": st.lists(
            st.tuples(
                st.sampled_from(AREAS),
                st.sampled_from(["", "staff", "organisation"]),
                st.booleans(),
            ),
            max_size=3,
        ),
    }
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(case_data, min_size=1, max_size=4))
def test_the_grouped_gap_table_counts_what_the_shared_gap_queries_count(cast, cases):
    types = {
        area: InterventionType.objects.get_or_create(
            name=f"Insats (test, {area})", defaults={"area": area}
        )[0]
        for area in AREAS
    }
    with transaction.atomic():
        built = [build(data, cast, types) for data in cases]
        for case, data in zip(built, cases, strict=True):
            opened = TODAY - data["opened_days_ago"] * DAY
            Case.objects.filter(pk=case.pk).update(opened_on=opened)
        scope = Case.objects.filter(pk__in=[c.pk for c in built])
        expected = old_gap_table(scope, TODAY)
        groups = grouped.gap_groups(scope, TODAY)
        with_gaps = set(queries.gaps_by_case(scope, TODAY))
        transaction.set_rollback(True)
    assert grouped.gap_counts_by_area(groups) == expected
    # One group row per combination: the cases with a gap, each once.
    assert sum(g.cases for g in groups) == len(with_gaps)
    assert all(g.ages for g in groups)


def test_the_grouped_gap_table_keeps_to_its_scope(cast):
    """A case outside the scope (another district) is not counted; every case is when the
    scope is the whole city (no IN list at all)."""
    for unit in (cast.sodermalm, cast.rinkeby):
        case = Case.objects.create(
            person=cast.case.person, owning_unit=unit, opened_on=today() - 200 * DAY
        )
        assert case.phase != "closed"
    district = Case.objects.filter(owning_unit__administration=cast.sodermalm.administration)

    in_district = grouped.gap_counts_by_area(grouped.gap_groups(district, today()))
    in_city = grouped.gap_counts_by_area(grouped.gap_groups(Case.objects.all(), today()))

    assert in_district == old_gap_table(district, today())
    assert in_city == old_gap_table(Case.objects.all(), today())
    assert in_city[("housing", 2)] > in_district[("housing", 2)]


def test_the_equal_access_facts_are_the_city_views_own(cast, sodermalm):  # noqa: F811
    district_cases = Case.objects.filter(
        owning_unit__administration__kind=Administration.Kind.DISTRICT
    )
    expected = equality.district_facts(district_cases, equality.CaseFilter(), today())

    city = Case.objects.all()
    follow_ups = grouped.follow_up_groups(city, Period(today().year), today(), False, True)
    facts = grouped.district_facts(today(), grouped.gap_groups(city, today()), follow_ups)

    assert facts == expected
    by_name = {f.name: f for f in facts}
    mine = by_name[cast.sodermalm.administration.name]
    assert (mine.open_cases, mine.gap_cases) == (8, 2)
    assert (mine.follow_ups_due, mine.follow_ups_on_time) == (2, 1)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(signal_case_data, min_size=1, max_size=3),
    days=st.none() | st.integers(1, 90),
)
def test_the_signal_counts_are_the_open_cases_with_each_signal_of_the_shared_rules(
    cast, cases, days
):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    with transaction.atomic():
        if days is not None:
            EarlyWarningSettings.objects.create(
                municipality=cast.sodermalm.administration.municipality, no_contact_days=days
            )
        built = [build_signal_case(data, cast.sodermalm, cast.case_worker, kind) for data in cases]
        scope = Case.objects.filter(pk__in=[c.pk for c in built])
        expected: Counter[str] = Counter()
        shared = signals.signals_for_cases(scope.exclude(phase="closed").values("pk"), S_TODAY)
        for case_signals in shared.values():
            expected.update({s.kind for s in case_signals})
        got = grouped.signal_counts(scope, S_TODAY)
        transaction.set_rollback(True)
    assert +got == expected


def test_the_signal_counts_keep_to_their_scope_and_leave_closed_cases_out(cast):
    day = today()
    for unit, phase in ((cast.sodermalm, "establishing"), (cast.rinkeby, "establishing")):
        case = Case.objects.create(
            person=cast.case.person, owning_unit=unit, opened_on=day - 200 * DAY, phase=phase
        )
        OutcomeEvent.objects.create(case=case, kind="returned_to_family", occurred_on=day)
    closed = Case.objects.create(
        person=cast.case.person, owning_unit=cast.sodermalm, opened_on=day, phase="closed"
    )
    OutcomeEvent.objects.create(case=closed, kind="returned_to_family", occurred_on=day)
    district = Case.objects.filter(owning_unit__administration=cast.sodermalm.administration)

    assert grouped.signal_counts(district, day)["returned_to_family"] == 1
    assert grouped.signal_counts(Case.objects.all(), day)["returned_to_family"] == 2


def test_the_board_follow_ups_are_the_same_when_their_pass_also_counts_those_due(
    cast,
    sodermalm,  # noqa: F811
):
    closed = Case.objects.create(
        person=cast.case.person, owning_unit=cast.sodermalm, opened_on=today(), phase="closed"
    )
    follow_up(closed, today() - 40 * DAY, held_on=today() - 39 * DAY)
    follow_up(sodermalm[3], D(today().year - 1, 12, 20), held_on=today() - 30 * DAY)
    year = Period(today().year)
    places = [figures.place_label(cast.sodermalm.administration.name)]

    alone = figures.follow_ups(Case.objects.all(), year, places, False, today())
    shared = figures.follow_ups(
        Case.objects.all(),
        year,
        places,
        False,
        today(),
        grouped.follow_up_groups(Case.objects.all(), year, today(), False, True),
    )

    assert shared.matrix("place", "status") == alone.matrix("place", "status")
    # Every follow-up planned this year up to today, the closed case's too; not last year's.
    planned = FollowUp.objects.filter(planned_on__gte=year.start, planned_on__lte=today())
    assert sum(map(sum, alone.matrix("place", "status"))) == planned.count() >= 2


def _follow_ups_by_hand(period, today_, by_unit):
    """Every follow-up, one by one: (district id, place, days late, in the period, due)."""
    counted: Counter = Counter()
    for f in FollowUp.objects.select_related("case__owning_unit__administration"):
        unit = f.case.owning_unit
        in_period = period.start <= f.planned_on <= period.cut_off(today_)
        due = (
            f.planned_on <= today_ - datetime.timedelta(days=equality.FOLLOW_UP_GRACE_DAYS)
            and unit.administration.kind == Administration.Kind.DISTRICT
            and f.case.phase != "closed"
        )
        if not (in_period or due):
            continue
        days = None if f.held_on is None else (f.held_on - f.planned_on).days
        place = unit.name if by_unit else unit.administration.name
        counted[(unit.administration_id, place, days, in_period, due)] += 1
    return counted


@pytest.mark.parametrize("by_unit", [False, True])
def test_the_follow_up_groups_are_every_follow_up_counted_by_hand(
    cast,
    sodermalm,  # noqa: F811
    by_unit,
):
    closed = Case.objects.create(
        person=cast.case.person, owning_unit=cast.sodermalm, opened_on=today(), phase="closed"
    )
    follow_up(closed, today() - 40 * DAY, held_on=today() - 39 * DAY)
    follow_up(sodermalm[3], D(today().year - 1, 12, 20), held_on=today() - 30 * DAY)
    follow_up(sodermalm[4], D(today().year - 1, 6, 1))  # before the period, not held
    other = Case.objects.create(
        person=cast.case.person, owning_unit=cast.rinkeby, opened_on=today() - 90 * DAY
    )
    follow_up(other, today() - 20 * DAY, held_on=today() - 2 * DAY)
    year = Period(today().year)

    groups = grouped.follow_up_groups(Case.objects.all(), year, today(), by_unit, True)

    got: Counter = Counter()
    for g in groups:
        got[(g.administration_id, g.place, g.days, g.in_period, g.due)] += g.count
    assert got == _follow_ups_by_hand(year, today(), by_unit)
    assert any(g.due and not g.in_period for g in groups)  # the comparison's share is there
