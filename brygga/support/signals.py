"""Early warning of falling back: signals per case, from built-in rules and registered sources.

The contract other apps build on:

    @register_signal_source
    def my_source(case_ids: CaseIds, today: date) -> Iterable[Signal]: ...

`case_ids` is a collection of ids (a worker's list) or a QuerySet of case pks (a whole city,
for the board's counts): filter with `case_id__in=scope(case_ids)`, which keeps a QuerySet a
subquery instead of an IN list of tens of thousands of parameters.

registered in the app's AppConfig.ready(). A source must run a constant number of queries
whatever the number of cases, and give one Swedish line (translated) saying why each signal is
shown. `signals_for_cases` calls the built-in rules (the SQL twins of signal_rules.py, one or
two queries each) and every registered source, and returns each case's signals, most severe
first. See docs/decisions/0031-early-warning-signals.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, Greatest

from brygga.cases.models import Case, OutcomeEvent
from brygga.support import signal_rules as r
from brygga.support.areas import CORE_AREAS, NeedArea
from brygga.support.models import CaseAreaState, EarlyWarningSettings, Intervention

SEVERE, WARNING, NOTICE = r.SEVERE, r.WARNING, r.NOTICE


@dataclass(frozen=True)
class Signal:
    case_id: int
    kind: str
    severity: int  # 1 severe, 2 warning, 3 notice
    explanation: str  # one Swedish line, translated
    since: datetime.date | None

    @property
    def is_severe(self) -> bool:
        return self.severity == SEVERE


CaseIds = Collection[int] | QuerySet  # type: ignore[type-arg]
SignalSource = Callable[[CaseIds, datetime.date], Iterable[Signal]]
_SOURCES: list[SignalSource] = []
# Sources that say they never give a severe signal: the start page runs them on the user's own
# cases only (it shows the severe signals of every other case, and nothing else of them).
_NEVER_SEVERE: set[SignalSource] = set()


def register_signal_source(source: SignalSource, *, never_severe: bool = False) -> SignalSource:
    """Add a source of signals (call from AppConfig.ready(); usable as a decorator).
    `never_severe`: the source never gives a severe signal (the start page then asks it about
    the user's own cases only)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    if never_severe:
        _NEVER_SEVERE.add(source)
    return source


def registered_sources() -> list[SignalSource]:
    return list(_SOURCES)


def scope(case_ids: CaseIds) -> Any:
    """What to put after `pk__in=` / `case_id__in=`: a QuerySet stays a subquery."""
    return case_ids if isinstance(case_ids, QuerySet) else list(case_ids)


def signals_for_cases(case_ids: CaseIds, today: datetime.date) -> dict[int, list[Signal]]:
    """Each case's signals, most severe first; cases without signals are left out.

    `case_ids` may be a QuerySet of case pks (`cases.values("pk")`): every rule then runs
    with it as a subquery, the way the board report counts a whole city."""
    if isinstance(case_ids, QuerySet):
        ids: Any = None
        sources_scope: CaseIds = case_ids
    else:
        ids = set(case_ids)
        if not ids:
            return {}
        sources_scope = ids
    found: dict[int, list[Signal]] = defaultdict(list)
    for source in [builtin_signals, *_SOURCES]:
        for signal in source(sources_scope, today):
            # A source never adds a case the caller may not see (a subquery scope is the
            # caller's own filter, applied by the source's SQL).
            if ids is None or signal.case_id in ids:
                found[signal.case_id].append(signal)
    return {
        case_id: sorted(signals, key=lambda s: (s.severity, s.since or today, s.kind))
        for case_id, signals in found.items()
    }


def own_and_severe_signals(
    own: CaseIds, own_ids: Collection[int], wider: CaseIds, today: datetime.date
) -> dict[int, list[Signal]]:
    """Every signal of the cases in `own` (a subquery whose case ids are `own_ids`), and the
    severe signals of the other cases in `wider` (which holds `own`): what the start page
    shows, without building the thousands of other signals of a unit a manager sees.

    The same signals, in the same order, as `signals_for_cases(wider)` filtered to those, and
    the same queries: each rule runs once, those that never give a severe signal (three of the
    built-in rules, and the sources registered `never_severe`) on `own`, the others on
    `wider`."""
    own_ids = set(own_ids)
    found: dict[int, list[Signal]] = defaultdict(list)
    for source in [*_BUILTIN_RULES, *_SOURCES]:
        if source in _BUILTIN_NEVER_SEVERE or source in _NEVER_SEVERE:
            for signal in source(own, today):
                found[signal.case_id].append(signal)
            continue
        for signal in source(wider, today):
            if signal.is_severe or signal.case_id in own_ids:
                found[signal.case_id].append(signal)
    return {
        case_id: sorted(signals, key=lambda s: (s.severity, s.since or today, s.kind))
        for case_id, signals in found.items()
    }


def shown_and_counted(
    own_ids: Collection[int],
    wider: QuerySet,
    today: datetime.date,  # type: ignore[type-arg]
) -> tuple[dict[int, list[Signal]], dict[int, tuple[int, int]]]:
    """For the manager's overview: the signals shown (every one of the `own_ids` cases, the
    severe ones of the other cases in `wider`), and how many signals every case in `wider`
    has, (severe, all). Each rule runs once, over `wider`, as in `signals_for_cases`; the
    built-in rules give plain rows, and only the rows shown become signals with their
    translated line (a unit has thousands, and shows fifty)."""
    own_ids = set(own_ids)
    found: dict[int, list[Signal]] = defaultdict(list)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    explain = r.explainer()

    def count(case_id: int, severity: int) -> None:
        tally = counts[case_id]
        tally[0] += severity == SEVERE
        tally[1] += 1

    for rule in _BUILTIN_FINDINGS:
        for finding in rule(wider, today):
            case_id, severity = finding[0], finding[2]
            count(case_id, severity)
            if severity == SEVERE or case_id in own_ids:
                found[case_id].append(_build(finding, explain))
    for source in _SOURCES:
        for signal in source(wider, today):
            count(signal.case_id, signal.severity)
            if signal.is_severe or signal.case_id in own_ids:
                found[signal.case_id].append(signal)
    shown = {
        case_id: sorted(signals, key=lambda s: (s.severity, s.since or today, s.kind))
        for case_id, signals in found.items()
    }
    return shown, {case_id: (severe, total) for case_id, (severe, total) in counts.items()}


def by_severity(signals: dict[int, list[Signal]]) -> list[Signal]:
    """All signals in one list, most severe first, then the oldest first."""
    flat = [s for case_signals in signals.values() for s in case_signals]
    return sorted(flat, key=lambda s: (s.severity, s.since or datetime.date.max, s.case_id))


# --- The built-in rules in SQL: each the twin of a pure rule in signal_rules.py.


def builtin_signals(case_ids: CaseIds, today: datetime.date) -> Iterable[Signal]:
    """Five queries, whatever the number of cases; three rules read the precomputed case state
    (support.state, decision 0120) instead of every journal note, follow-up and assessment."""
    for rule in _BUILTIN_RULES:
        yield from rule(case_ids, today)


def _open(rows: QuerySet, case_ids: CaseIds, path: str = "case__") -> QuerySet:  # type: ignore[type-arg]
    return rows.filter(**{f"{path}pk__in": scope(case_ids)}).exclude(
        **{f"{path}phase": r.CLOSED_PHASE}
    )


def _signal(case_id: int, finding: r.Finding) -> Signal:
    return Signal(case_id, finding.kind, finding.severity, finding.explanation, finding.since)


# A built-in rule's finding before it becomes a Signal: (case id, kind, severity, since, detail);
# the detail of "need worse" is the area's value (its label is translated when built).
Found = tuple[int, str, int, datetime.date, str]


def _build(found: Found, explain: Callable[..., str]) -> Signal:
    case_id, kind, severity, since, detail = found
    if kind == r.Kind.NEED_WORSE:
        detail = r.area_label(detail)
    return Signal(case_id, kind, severity, explain(kind, since, detail), since)


def _built(findings: Iterable[Found]) -> list[Signal]:
    explain = r.explainer()
    return [_build(found, explain) for found in findings]


def no_contact_days_by_municipality(case_ids: CaseIds) -> dict[int, int]:
    """The configured thresholds of the municipalities owning these cases (one query)."""
    rows = EarlyWarningSettings.objects.filter(
        municipality__administrations__units__cases__pk__in=scope(case_ids)
    ).values_list("municipality_id", "no_contact_days")
    return dict(rows.distinct())


def case_state_findings(case_ids: CaseIds, today: datetime.date) -> list[Found]:
    """No contact, a missed follow-up, an overdue risk review: from each case's precomputed
    dates (the latest contact, the next follow-up, the latest risk assessment's review), one
    query over the cases plus one for the municipalities' thresholds."""
    days_by_municipality = no_contact_days_by_municipality(case_ids)
    date = DateField()
    # A case without a state row has no contact, follow-up or risk assessment recorded.
    cases = _open(Case.objects.all(), case_ids, path="").annotate(
        municipality_id=F("owning_unit__administration__municipality_id"),
        last_contact=Greatest(
            F("opened_on"),
            Coalesce(F("state__last_contact_on"), F("opened_on"), output_field=date),
            output_field=date,
        ),
        next_follow_up_on=F("state__next_follow_up_on"),
        risk_review_on=F("state__risk_review_on"),
    )
    municipalities_by_days: dict[int, list[int]] = defaultdict(list)
    for municipality_id, days in days_by_municipality.items():
        municipalities_by_days[days].append(municipality_id)
    silent = Q(last_contact__lte=today - datetime.timedelta(days=r.DEFAULT_NO_CONTACT_DAYS)) & ~Q(
        municipality_id__in=list(days_by_municipality)
    )
    for days, municipality_ids in municipalities_by_days.items():
        silent |= Q(
            municipality_id__in=municipality_ids,
            last_contact__lte=today - datetime.timedelta(days=days),
        )
    late = Q(next_follow_up_on__lt=today) | Q(risk_review_on__lt=today)
    # The rules r.no_contact, r.follow_up_missed and r.risk_review_overdue on each case's
    # dates, inline.
    found: list[Found] = []
    for case_id, last, municipality_id, follow_up_on, review_on in (
        cases.filter(silent | late)
        .order_by()
        .values_list("pk", "last_contact", "municipality_id", "next_follow_up_on", "risk_review_on")
    ):
        days = days_by_municipality.get(municipality_id, r.DEFAULT_NO_CONTACT_DAYS)
        if (today - last).days >= days:
            found.append((case_id, r.Kind.NO_CONTACT, WARNING, last, str(days)))
        # The earliest follow-up not held: missed if it was planned before today.
        if follow_up_on is not None and follow_up_on < today:
            found.append((case_id, r.Kind.FOLLOW_UP_MISSED, WARNING, follow_up_on, ""))
        if review_on is not None and review_on < today:
            found.append((case_id, r.Kind.RISK_REVIEW_OVERDUE, WARNING, review_on, ""))
    return found


def housing_ending_findings(case_ids: CaseIds, today: datetime.date) -> list[Found]:
    later = (
        Intervention.objects.filter(
            case=OuterRef("case"), area=NeedArea.HOUSING, status__in=r.FOLLOW_ON_STATUSES
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(period_start__isnull=True) | Q(period_start__gt=OuterRef("period_start")))
    )
    rows = (
        _open(Intervention.objects.all(), case_ids)
        .filter(
            area=NeedArea.HOUSING,
            status__in=r.CARRYING,
            period_end__gte=today,
            period_end__lte=today + datetime.timedelta(days=r.HOUSING_ENDING_DAYS),
        )
        .exclude(Exists(later))
        .values_list("case_id", "period_end", "type__name")
    )
    return [(case_id, r.Kind.HOUSING_ENDING, WARNING, end, name) for case_id, end, name in rows]


def severe_outcome_findings(case_ids: CaseIds, today: datetime.date) -> list[Found]:
    rows = (
        _open(OutcomeEvent.objects.all(), case_ids)
        .filter(
            kind__in=r.SEVERE_OUTCOME_KINDS,
            occurred_on__gte=today - datetime.timedelta(days=r.SEVERE_OUTCOME_DAYS),
            occurred_on__lte=today,
        )
        .values("case_id", "kind")
        .annotate(on=Max("occurred_on"))
        .order_by()
    )
    return [(row["case_id"], row["kind"], SEVERE, row["on"], "") for row in rows]


def need_worse_findings(case_ids: CaseIds, today: datetime.date) -> list[Found]:
    """A core need assessed worse than the time before: from each area's precomputed latest
    and previous level (support.state; ties on a date: the later round is the latest)."""
    rows = (
        _open(CaseAreaState.objects.all(), case_ids)
        .filter(area__in=[a.value for a in CORE_AREAS], previous_level__gt=F("level"))
        .values_list("case_id", "area", "assessed_on")
    )
    return [(case_id, r.Kind.NEED_WORSE, WARNING, on, area) for case_id, area, on in rows]


def case_state_signals(case_ids: CaseIds, today: datetime.date) -> list[Signal]:
    return _built(case_state_findings(case_ids, today))


def housing_ending_signals(case_ids: CaseIds, today: datetime.date) -> list[Signal]:
    return _built(housing_ending_findings(case_ids, today))


def severe_outcome_signals(case_ids: CaseIds, today: datetime.date) -> list[Signal]:
    return _built(severe_outcome_findings(case_ids, today))


def need_worse_signals(case_ids: CaseIds, today: datetime.date) -> list[Signal]:
    return _built(need_worse_findings(case_ids, today))


_BUILTIN_FINDINGS = (
    case_state_findings,
    housing_ending_findings,
    severe_outcome_findings,
    need_worse_findings,
)
_BUILTIN_RULES: tuple[SignalSource, ...] = (
    case_state_signals,
    housing_ending_signals,
    severe_outcome_signals,
    need_worse_signals,
)
# Only the severe outcomes give a severe signal.
_BUILTIN_NEVER_SEVERE = frozenset({case_state_signals, housing_ending_signals, need_worse_signals})
