"""The survival query's grouped rows are the persons' own follow-up times, counted.

`survival.all_observations` finds each case's first exit, first event and first censoring in
SQL and returns one row per (days, event, gender, district) with a count. Here the same is
worked out person by person in plain Python from the records (the definition in the method
note), for generated cases, and the curves, their confidence bands, the shares at 6, 12 and 24
months and the log-rank test are compared between the grouped rows (lifelines' `weights=`)
and one unweighted row per person. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Case, OutcomeEvent, OutcomeKind, Phase, ProtectedHousingStay
from brygga.people.models import Gender
from brygga.stats import survival
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CUT = D(2026, 6, 30)
START = D(2023, 1, 1)

day = st.integers(0, 3 * 365).map(lambda n: START + datetime.timedelta(days=n))
case_data = st.fixed_dictionaries(
    {
        "gender": st.sampled_from([Gender.WOMAN, Gender.MAN]),
        "rinkeby": st.booleans(),
        "exits": st.lists(st.none() | day, max_size=2),
        "outcomes": st.lists(st.tuples(st.sampled_from(list(OutcomeKind.values)), day), max_size=4),
        "closed_on": st.none() | day,
    }
)


def build(data, cast) -> Case:
    case = CaseFactory(
        person=PersonFactory(gender=data["gender"]),
        owning_unit=cast.rinkeby if data["rinkeby"] else cast.sodermalm,
        opened_on=START,
        phase=Phase.CLOSED if data["closed_on"] else Phase.ESTABLISHING,
        closed_on=data["closed_on"],
    )
    for ended_on in data["exits"]:
        ProtectedHousingStay.objects.create(
            case=case, provider="Demo", started_on=START, ended_on=ended_on
        )
    for kind, on in data["outcomes"]:
        OutcomeEvent.objects.create(case=case, kind=kind, occurred_on=on)
    return case


def by_hand(cases: list[Case], cut: datetime.date) -> dict[str, Counter]:
    """Each person's follow-up, as the method note defines it, one by one."""
    result: dict[str, Counter] = {endpoint: Counter() for endpoint in survival.ENDPOINTS}
    for case in cases:
        exits = [s.ended_on for s in case.stays.all() if s.ended_on is not None]
        if not exits or min(exits) > cut:
            continue
        left = min(exits)
        after = sorted(
            (o.occurred_on, o.kind) for o in case.outcomes.all() if o.occurred_on >= left
        )
        censored = [on for on, kind in after if kind in survival.CENSORING_KINDS]
        stop = min(censored[0] if censored else cut, case.closed_on or cut, cut)
        place = case.owning_unit.administration.name
        for endpoint, kinds in survival.ENDPOINTS.items():
            events = [on for on, kind in after if kind in kinds]
            hit = bool(events) and events[0] <= stop
            end = events[0] if hit else stop
            key = (max((end - left).days, 0), hit, case.person.gender, place)
            result[endpoint][key] += 1
    return result


def counted(rows: dict[str, list[survival.Observation]]) -> dict[str, Counter]:
    result: dict[str, Counter] = {}
    for endpoint, observations in rows.items():
        result[endpoint] = Counter()
        for o in observations:
            result[endpoint][(o.days, o.event, o.gender, o.district)] += o.count
    return result


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(case_data, min_size=1, max_size=6))
def test_the_grouped_rows_are_every_persons_follow_up_worked_out_by_hand(cast, cases):
    with transaction.atomic():
        built = [build(data, cast) for data in cases]
        fresh = list(
            Case.objects.filter(pk__in=[c.pk for c in built])
            .prefetch_related("stays", "outcomes")
            .select_related("person", "owning_unit__administration")
        )
        expected = by_hand(fresh, CUT)
        whole_city = survival.all_observations(
            Case.objects.filter(pk__in=[c.pk for c in built]), CUT
        )
        transaction.set_rollback(True)

    assert counted(whole_city) == {e: +c for e, c in expected.items()}


def test_the_scope_keeps_to_its_cases(cast):
    for unit in (cast.sodermalm, cast.rinkeby):
        build({"gender": Gender.WOMAN, "rinkeby": unit == cast.rinkeby, "exits": [D(2024, 1, 1)],
               "outcomes": [], "closed_on": None}, cast)  # fmt: skip
    district = Case.objects.filter(owning_unit__administration=cast.rinkeby.administration)

    assert sum(o.count for o in survival.all_observations(district, CUT)["relapse"]) == 1
    assert sum(o.count for o in survival.all_observations(Case.objects.all(), CUT)["relapse"]) == 2


def _one_row_each(rows: list[survival.Observation]) -> list[survival.Observation]:
    return [
        survival.Observation(o.days, o.event, 1, o.gender, o.district)
        for o in rows
        for _ in range(o.count)
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 900), st.booleans(), st.sampled_from(["kvinna", "man"])),
        min_size=10,
        max_size=80,
    )
)
def test_curves_bands_shares_and_log_rank_from_counted_rows_equal_those_from_one_row_each(
    persons,
):
    grouped_rows = [
        survival.Observation(days, event, n, gender)
        for (days, event, gender), n in Counter(persons).items()
    ]
    single = _one_row_each(grouped_rows)

    weighted = survival.kaplan_meier(grouped_rows, "alla")
    unweighted = survival.kaplan_meier(single, "alla")

    assert weighted is not None and unweighted is not None
    assert weighted.at_start == unweighted.at_start and weighted.events == unweighted.events
    assert len(weighted.points) == len(unweighted.points)
    for a, b in zip(weighted.points, unweighted.points, strict=True):
        assert a.months == pytest.approx(b.months)
        assert a.at_risk == b.at_risk
        assert (a.survival, a.lower, a.upper) == pytest.approx((b.survival, b.lower, b.upper))
    for a, b in zip(weighted.horizons, unweighted.horizons, strict=True):
        assert (a.share, a.lower, a.upper) == pytest.approx((b.share, b.lower, b.upper))
    groups = survival.by(grouped_rows, "gender")
    singles = survival.by(single, "gender")
    test_weighted, test_single = survival.compare(groups), survival.compare(singles)
    assert (test_weighted is None) == (test_single is None)
    if test_weighted is not None and test_single is not None:
        assert test_weighted.p_value == pytest.approx(test_single.p_value)
