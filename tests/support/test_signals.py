"""Early-warning signals: each rule on its own, the SQL twins agreeing with the pure rules on
generated data, and the contract other apps register their sources against."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.cases.models import Case, OutcomeEvent, RiskAssessment
from brygga.journal.models import JournalNote
from brygga.support import signal_rules as r
from brygga.support import signals
from brygga.support.models import (
    Assessment,
    AssessmentRound,
    EarlyWarningSettings,
    FollowUp,
    Intervention,
    InterventionType,
)
from brygga.support.signals import (
    Signal,
    register_signal_source,
    registered_sources,
    signals_for_cases,
)
from tests.factories import case_with_team

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
DAY = datetime.timedelta(days=1)


# --- Each rule on its own (pure).


def test_no_contact_fires_after_thirty_days_counted_from_the_latest_contact():
    assert r.no_contact(TODAY - 100 * DAY, [TODAY - 29 * DAY], 30, TODAY) is None
    finding = r.no_contact(TODAY - 100 * DAY, [TODAY - 30 * DAY, TODAY - 60 * DAY], 30, TODAY)
    assert finding is not None
    assert finding.since == TODAY - 30 * DAY
    assert "Ingen kontakt registrerad sedan" in finding.explanation


def test_no_contact_counts_from_the_opening_when_nothing_is_recorded():
    assert r.no_contact(TODAY - 10 * DAY, [], 30, TODAY) is None
    assert r.no_contact(TODAY - 10 * DAY, [], 7, TODAY) is not None


def housing(pk, status="granted", start=-300, end=20):
    return r.HousingDecisionFact(
        pk,
        "Genomgångsbostad",
        status,
        TODAY + start * DAY if start is not None else None,
        TODAY + end * DAY if end is not None else None,
    )


def test_a_housing_decision_ending_within_thirty_days_with_nothing_after_it_is_a_signal():
    [finding] = r.housing_ending([housing(1)], TODAY)
    assert finding.kind == r.Kind.HOUSING_ENDING
    assert finding.since == TODAY + 20 * DAY
    assert "Genomgångsbostad" in finding.explanation


def test_a_planned_next_housing_decision_silences_the_ending_one():
    assert r.housing_ending([housing(1)], TODAY) != []
    assert r.housing_ending([housing(1), housing(2, "applied", None, None)], TODAY) == []
    assert r.housing_ending([housing(1), housing(2, "planned", -10, 400)], TODAY) == []


def test_a_refused_next_decision_or_one_ending_later_is_no_signal_change():
    assert r.housing_ending([housing(1), housing(2, "refused", None, None)], TODAY) != []
    assert r.housing_ending([housing(1, end=31)], TODAY) == []
    assert r.housing_ending([housing(1, end=-1)], TODAY) == []


def test_new_violence_return_to_family_and_lost_contact_are_severe_for_ninety_days():
    found = r.severe_outcomes(
        [
            ("new_violence", TODAY - 5 * DAY),
            ("returned_to_family", TODAY - 90 * DAY),
            ("lost_contact", TODAY - 91 * DAY),
            ("own_tenancy", TODAY),
        ],
        TODAY,
    )
    assert {(f.kind, f.severity) for f in found} == {
        ("new_violence", r.SEVERE),
        ("returned_to_family", r.SEVERE),
    }


def test_a_missed_follow_up_is_dated_by_the_earliest_missed():
    finding = r.follow_up_missed(
        [(TODAY - 40 * DAY, None), (TODAY - 10 * DAY, None), (TODAY - 80 * DAY, TODAY)], TODAY
    )
    assert finding is not None and finding.since == TODAY - 40 * DAY
    assert r.follow_up_missed([(TODAY, None), (TODAY - DAY, TODAY - DAY)], TODAY) is None


def test_an_overdue_review_counts_only_on_the_latest_risk_assessment():
    old = r.RiskFact(1, TODAY - 200 * DAY, TODAY - 100 * DAY)
    new = r.RiskFact(2, TODAY - 20 * DAY, TODAY + 70 * DAY)
    assert r.risk_review_overdue([old], TODAY) is not None
    assert r.risk_review_overdue([old, new], TODAY) is None


def test_a_core_need_assessed_worse_than_last_time_is_a_signal():
    rows = [
        r.AssessedLevel("housing", TODAY - 100 * DAY, 1, 4),
        r.AssessedLevel("housing", TODAY - 10 * DAY, 2, 2),
        r.AssessedLevel("health", TODAY - 100 * DAY, 1, 4),
        r.AssessedLevel("health", TODAY - 10 * DAY, 2, 1),
    ]
    [finding] = r.core_need_worse(rows)
    assert finding.since == TODAY - 10 * DAY
    assert finding.explanation.startswith("Boende")


def test_a_closed_case_has_no_signals():
    facts = r.CaseFacts(phase="establishing", opened_on=TODAY - 400 * DAY)
    assert r.case_findings(facts, TODAY) != []
    facts.phase = "closed"
    assert r.case_findings(facts, TODAY) == []


# --- The SQL twins agree with the pure rules on generated data.

offsets = st.integers(-200, 60)
maybe_offset = st.none() | offsets
case_data = st.fixed_dictionaries(
    {
        "phase": st.sampled_from(["protected_housing", "establishing", "closed"]),
        "opened": st.integers(-400, 0),
        "notes": st.lists(st.tuples(st.integers(-120, 0), st.booleans()), max_size=3),
        "follow_ups": st.lists(
            st.tuples(offsets, maybe_offset, st.sampled_from([None, True, False])), max_size=3
        ),
        "outcomes": st.lists(
            st.tuples(
                st.sampled_from(
                    ["new_violence", "lost_contact", "returned_to_family", "own_tenancy"]
                ),
                st.integers(-120, 0),
            ),
            max_size=3,
        ),
        "risks": st.lists(st.tuples(st.integers(-300, 0), offsets), max_size=2),
        "housing": st.lists(
            st.tuples(
                st.sampled_from(["planned", "applied", "granted", "active", "ended", "refused"]),
                maybe_offset,
                maybe_offset,
            ),
            max_size=3,
        ),
        "levels": st.lists(
            st.tuples(st.sampled_from(["housing", "social", "health"]), offsets, st.integers(1, 5)),
            max_size=4,
        ),
    }
)


def build(data, unit, worker, kind):
    case = case_with_team(unit, worker)
    Case.objects.filter(pk=case.pk).update(
        phase=data["phase"], opened_on=TODAY + data["opened"] * DAY
    )
    for offset, signed in data["notes"]:
        JournalNote.objects.create(
            case=case,
            author=worker,
            written_on=TODAY + offset * DAY,
            title="Samtal",
            signed_at="2026-01-01T00:00:00Z" if signed else None,
        )
    for planned, held, contact in data["follow_ups"]:
        FollowUp.objects.create(
            case=case,
            planned_on=TODAY + planned * DAY,
            held_on=TODAY + held * DAY if held is not None else None,
            contact_made=contact,
        )
    for outcome, on in data["outcomes"]:
        OutcomeEvent.objects.create(case=case, kind=outcome, occurred_on=TODAY + on * DAY)
    for assessed, review in data["risks"]:
        RiskAssessment.objects.create(
            case=case,
            instrument="freda",
            assessed_on=TODAY + assessed * DAY,
            next_review_on=TODAY + review * DAY,
        )
    for status, start, end in data["housing"]:
        if start is not None and end is not None and end < start:
            start, end = end, start
        Intervention.objects.create(
            case=case,
            type=kind,
            area=kind.area,
            status=status,
            period_start=TODAY + start * DAY if start is not None else None,
            period_end=TODAY + end * DAY if end is not None else None,
        )
    for area, on, level in data["levels"]:
        round_ = AssessmentRound.objects.create(case=case, assessed_on=TODAY + on * DAY)
        Assessment.objects.create(
            round=round_, case=case, assessed_on=round_.assessed_on, area=area, worker_level=level
        )
    return Case.objects.select_related("owning_unit__administration").get(pk=case.pk)


def facts_of(case: Case) -> r.CaseFacts:
    """The case's facts read row by row, for the pure rules."""
    configured = EarlyWarningSettings.objects.filter(
        municipality_id=case.owning_unit.administration.municipality_id
    ).first()
    return r.CaseFacts(
        phase=case.phase,
        opened_on=case.opened_on,
        no_contact_days=configured.no_contact_days if configured else 30,
        contacts=[n.written_on for n in case.journal_notes.all() if n.signed_at]
        + [f.held_on for f in case.follow_ups.all() if f.held_on and f.contact_made is not False],
        housing=[
            r.HousingDecisionFact(i.pk, i.type.name, i.status, i.period_start, i.period_end)
            for i in case.interventions.filter(area="housing")
        ],
        outcomes=[(o.kind, o.occurred_on) for o in case.outcomes.all()],
        follow_ups=[(f.planned_on, f.held_on) for f in case.follow_ups.all()],
        risks=[
            r.RiskFact(x.pk, x.assessed_on, x.next_review_on) for x in case.risk_assessments.all()
        ],
        levels=[
            r.AssessedLevel(a.area, a.assessed_on, a.round_id, a.worker_level)
            for a in case.assessments.all()
        ],
    )


def as_rows(case_id, found):
    return sorted((case_id, f.kind, f.severity, f.since, f.explanation) for f in found)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(case_data, min_size=1, max_size=3), days=st.none() | st.integers(1, 90))
def test_the_sql_signals_agree_with_the_pure_rules(cast, cases, days):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    with transaction.atomic():
        if days is not None:
            EarlyWarningSettings.objects.create(
                municipality=cast.sodermalm.administration.municipality, no_contact_days=days
            )
        built = [build(data, cast.sodermalm, cast.case_worker, kind) for data in cases]
        expected = sorted(
            row
            for case in built
            for row in as_rows(case.pk, r.case_findings(facts_of(case), TODAY))
        )
        found = signals.signals_for_cases([c.pk for c in built], TODAY)
        got = sorted(
            (s.case_id, s.kind, s.severity, s.since, s.explanation)
            for case_signals in found.values()
            for s in case_signals
        )
        # The board's way: the same cases as a subquery, never as a list of ids.
        scoped = signals.signals_for_cases(
            Case.objects.filter(pk__in=[c.pk for c in built]).values("pk"), TODAY
        )
        got_scoped = sorted(
            (s.case_id, s.kind, s.severity, s.since, s.explanation)
            for case_signals in scoped.values()
            for s in case_signals
        )
        transaction.set_rollback(True)
    assert got == expected
    assert got_scoped == expected


# --- The contract other apps register against.


@pytest.fixture
def a_registered_source():
    calls = []

    def partner_source(case_ids, today):
        calls.append(sorted(case_ids))
        return [
            Signal(case_id, "test.referral_stalled", 3, "Remissen har inte besvarats.", None)
            for case_id in case_ids
        ] + [Signal(999_999, "test.other", 1, "Ett ärende som inte efterfrågades.", None)]

    register_signal_source(partner_source)
    yield calls
    signals._SOURCES.remove(partner_source)


def test_a_registered_source_adds_its_signals_to_the_cases_asked_for_only(
    cast, a_registered_source
):
    found = signals_for_cases([cast.case.pk], TODAY)
    assert a_registered_source == [[cast.case.pk]]
    assert [s.kind for s in found[cast.case.pk]][-1] == "test.referral_stalled"
    assert 999_999 not in found


def test_signals_are_ordered_most_severe_first(cast, a_registered_source):
    OutcomeEvent.objects.create(case=cast.case, kind="new_violence", occurred_on=TODAY - DAY)
    kinds = [s.severity for s in signals_for_cases([cast.case.pk], TODAY)[cast.case.pk]]
    assert kinds == sorted(kinds)
    assert kinds[0] == 1


def test_no_cases_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert signals_for_cases([], TODAY) == {}


def test_the_built_in_rules_run_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    rich = {
        "phase": "establishing",
        "opened": -300,
        "notes": [(-50, True)],
        "follow_ups": [(-20, None, None)],
        "outcomes": [("lost_contact", -3)],
        "risks": [(-200, -10)],
        "housing": [("granted", -300, 10)],
        "levels": [("housing", -100, 4), ("housing", -5, 2)],
    }
    ids = [build(rich, cast.sodermalm, cast.case_worker, kind).pk]
    # Seven for the built-in rules, at most one for each source another app registered.
    budget = 7 + len(registered_sources())
    with django_assert_max_num_queries(budget):
        small = signals_for_cases(ids, TODAY)
    ids += [build(rich, cast.sodermalm, cast.case_worker, kind).pk for _ in range(4)]
    with django_assert_max_num_queries(budget):
        many = signals_for_cases(ids, TODAY)
    assert len(small[ids[0]]) == 6
    assert len(many) == 5


# --- The start page builds only the signals it shows (issue 11).


def shown(user, today, **kwargs):
    from brygga.access import policy
    from brygga.support import queries

    rows = queries.signals_shown_to(user, policy.visible_cases(user), today, **kwargs)
    return [(row.signal, row.case.pk) for row in rows]


def everything_then_filtered(user, today):
    """The way the start page found them before: every signal of every visible case."""
    from brygga.access import policy
    from brygga.support import queries

    found = queries.open_signals(policy.visible_cases(user), today)
    return shown(user, today, found=found)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(st.tuples(case_data, st.booleans()), min_size=1, max_size=4),
    limit=st.sampled_from([1, 3, 50]),
)
def test_the_start_page_shows_the_same_signals_as_when_it_built_them_all(cast, cases, limit):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    with transaction.atomic():
        for data, manager_on_team in cases:
            case = build(data, cast.sodermalm, cast.case_worker, kind)
            if manager_on_team:
                case.team_members.create(user=cast.unit_manager, role="worker")
        for user in (cast.unit_manager, cast.case_worker):
            before = everything_then_filtered(user, TODAY)
            after = shown(user, TODAY)
            assert after == before
            assert shown(user, TODAY, limit=limit) == before[:limit]
        transaction.set_rollback(True)


def test_a_manager_sees_the_severe_signals_of_the_units_other_cases_and_only_those(cast):
    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    silent = {
        "phase": "establishing",
        "opened": -300,
        "notes": [],
        "follow_ups": [],
        "outcomes": [("new_violence", -3)],
        "risks": [],
        "housing": [],
        "levels": [],
    }
    case = build(silent, cast.sodermalm, cast.case_worker, kind)
    kinds = {s.kind for s, case_id in shown(cast.unit_manager, TODAY) if case_id == case.pk}
    assert kinds == {"new_violence"}
    mine = {s.kind for s, case_id in shown(cast.case_worker, TODAY) if case_id == case.pk}
    assert mine == {"new_violence", "no_contact"}


def test_a_source_not_registered_as_never_severe_is_asked_about_every_visible_case(cast):
    def every_case_severe(case_ids, today):
        return [
            Signal(case.pk, "test.severe", 1, "Allvarligt.", None)
            for case in Case.objects.filter(pk__in=signals.scope(case_ids))
        ]

    register_signal_source(every_case_severe)
    try:
        kinds = {
            s.kind for s, case_id in shown(cast.unit_manager, TODAY) if case_id == cast.case.pk
        }
    finally:
        signals._SOURCES.remove(every_case_severe)
    assert "test.severe" in kinds


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(st.tuples(case_data, st.booleans()), min_size=1, max_size=4))
def test_the_overview_counts_and_shows_the_same_signals_as_when_it_built_them_all(cast, cases):
    from brygga.access import policy
    from brygga.support import queries

    kind, _ = InterventionType.objects.get_or_create(
        name="Genomgångsbostad (test)", defaults={"area": "housing"}
    )
    with transaction.atomic():
        for data, manager_on_team in cases:
            case = build(data, cast.sodermalm, cast.case_worker, kind)
            if manager_on_team:
                case.team_members.create(user=cast.unit_manager, role="worker")
        manager = cast.unit_manager
        visible = policy.visible_cases(manager).filter(owning_unit_id=cast.sodermalm.pk)
        units = [cast.sodermalm]
        before = queries.unit_overviews(visible, units, TODAY)  # from every signal, built
        found, counts, own = queries.overview_signals(manager, visible, TODAY)
        after = queries.unit_overviews(visible, units, TODAY, counts)
        assert after[0].signals_by_worker == before[0].signals_by_worker
        shown = queries.signals_shown_to(manager, visible, TODAY, found=found, on_team=own)
        assert [(s.signal, s.case.pk) for s in shown] == everything_then_filtered(manager, TODAY)
        transaction.set_rollback(True)


def test_the_overview_counts_every_signal_of_a_workers_cases(cast):
    from brygga.access import policy
    from brygga.support import queries

    OutcomeEvent.objects.create(case=cast.case, kind="new_violence", occurred_on=TODAY - DAY)
    visible = policy.visible_cases(cast.unit_manager)
    _found, counts, _own = queries.overview_signals(cast.unit_manager, visible, TODAY)
    [overview] = queries.unit_overviews(visible, [cast.sodermalm], TODAY, counts)
    all_signals = signals_for_cases([cast.case.pk], TODAY)[cast.case.pk]
    assert counts[cast.case.pk] == (1, len(all_signals))
    assert overview.signals_by_worker == [(cast.case_worker.get_full_name(), 1, len(all_signals))]
