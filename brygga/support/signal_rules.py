"""Early-warning rules as pure functions over one case's facts (signals.py holds their SQL twins).

Each rule says why it fires in one Swedish line; `explain` builds that line for the pure rule and
the SQL alike, so the two are compared whole in the tests.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brygga.support.areas import CORE_AREAS, NeedArea

CLOSED_PHASE = "closed"
DEFAULT_NO_CONTACT_DAYS = 30
HOUSING_ENDING_DAYS = 30
# A severe outcome stays a signal this long after it happened.
SEVERE_OUTCOME_DAYS = 90
CARRYING = frozenset({"granted", "active"})
FOLLOW_ON_STATUSES = frozenset({"planned", "applied", "awaiting_manager", "granted", "active"})

SEVERE, WARNING, NOTICE = 1, 2, 3


class Kind:
    """The built-in kinds. Other apps name their own (e.g. "partners.referral_stalled")."""

    NO_CONTACT = "no_contact"
    HOUSING_ENDING = "housing_ending"
    LOST_CONTACT = "lost_contact"
    RETURNED_TO_FAMILY = "returned_to_family"
    NEW_VIOLENCE = "new_violence"
    FOLLOW_UP_MISSED = "follow_up_missed"
    RISK_REVIEW_OVERDUE = "risk_review_overdue"
    NEED_WORSE = "need_worse"


# The outcome kinds (cases.OutcomeKind values) that are severe signals, as signal kinds.
SEVERE_OUTCOME_KINDS = (Kind.LOST_CONTACT, Kind.RETURNED_TO_FAMILY, Kind.NEW_VIOLENCE)


# The one-line explanations by kind: marked for translation here, translated when used.
_EXPLANATIONS = {
    Kind.NO_CONTACT: gettext_noop(
        "Ingen kontakt registrerad sedan %(day)s (%(detail)s dagar eller mer)."
    ),
    Kind.HOUSING_ENDING: gettext_noop(
        "Boendebeslutet %(detail)s upphör %(day)s och inget nytt boende är planerat."
    ),
    Kind.LOST_CONTACT: gettext_noop("Kontakten förlorades %(day)s."),
    Kind.RETURNED_TO_FAMILY: gettext_noop("Personen återvände till familjen %(day)s."),
    Kind.NEW_VIOLENCE: gettext_noop("Nytt våld eller hot registrerat %(day)s."),
    Kind.FOLLOW_UP_MISSED: gettext_noop("Uppföljningen planerad %(day)s är inte genomförd."),
    Kind.RISK_REVIEW_OVERDUE: gettext_noop("Riskbedömningen skulle ha omprövats senast %(day)s."),
    Kind.NEED_WORSE: gettext_noop("%(detail)s bedömdes sämre %(day)s än vid förra bedömningen."),
}


def explain(kind: str, day: datetime.date | None = None, detail: str = "") -> str:
    """The one-line Swedish explanation of a built-in signal (translated). Only the kind's own
    line is translated: a unit's thousands of signals made the eight lookups per call count."""
    iso = day.isoformat() if day else ""
    return _(_EXPLANATIONS[kind]) % {"day": iso, "detail": detail}


def explainer() -> Callable[..., str]:
    """`explain`, translating each kind's line once: for building a unit's thousands of signals
    in one go (a `gettext` per signal was a fifth of the manager's overview)."""
    lines: dict[str, str] = {}

    def explain_once(kind: str, day: datetime.date | None = None, detail: str = "") -> str:
        line = lines.get(kind)
        if line is None:
            line = lines[kind] = _(_EXPLANATIONS[kind])
        return line % {"day": day.isoformat() if day else "", "detail": detail}

    return explain_once


def area_label(area: str) -> str:
    return str(NeedArea(area).label)


@dataclass(frozen=True)
class Finding:
    """What a rule found on one case; signals.Signal adds the case id."""

    kind: str
    severity: int
    since: datetime.date | None
    explanation: str


@dataclass(frozen=True)
class HousingDecisionFact:
    pk: int
    type_name: str
    status: str
    period_start: datetime.date | None
    period_end: datetime.date | None


@dataclass(frozen=True)
class AssessedLevel:
    area: str
    assessed_on: datetime.date
    round_id: int
    level: int


@dataclass(frozen=True)
class RiskFact:
    pk: int
    assessed_on: datetime.date
    next_review_on: datetime.date


@dataclass
class CaseFacts:
    """Everything the built-in rules read about one case."""

    phase: str
    opened_on: datetime.date
    no_contact_days: int = DEFAULT_NO_CONTACT_DAYS
    # Signed journal notes, and follow-ups held with contact (not those where it failed).
    contacts: list[datetime.date] = field(default_factory=list)
    housing: list[HousingDecisionFact] = field(default_factory=list)
    outcomes: list[tuple[str, datetime.date]] = field(default_factory=list)  # (kind, occurred_on)
    follow_ups: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    risks: list[RiskFact] = field(default_factory=list)
    levels: list[AssessedLevel] = field(default_factory=list)


def no_contact(
    opened_on: datetime.date, contacts: Iterable[datetime.date], days: int, today: datetime.date
) -> Finding | None:
    """No contact recorded for `days` days: counted from the latest contact, or the opening."""
    last = max([opened_on, *contacts])
    if (today - last).days < days:
        return None
    return Finding(Kind.NO_CONTACT, WARNING, last, explain(Kind.NO_CONTACT, last, str(days)))


def housing_ending(decisions: Iterable[HousingDecisionFact], today: datetime.date) -> list[Finding]:
    """A housing decision ending within 30 days with no housing decision after it.

    After it: another housing decision, not refused or ended, not yet dated or starting after
    this one started.
    """
    decisions = list(decisions)
    horizon = today + datetime.timedelta(days=HOUSING_ENDING_DAYS)
    found = []
    for d in decisions:
        if d.status not in CARRYING or d.period_end is None or not today <= d.period_end <= horizon:
            continue
        start = d.period_start
        if any(
            o.pk != d.pk
            and o.status in FOLLOW_ON_STATUSES
            and (o.period_start is None or (start is not None and o.period_start > start))
            for o in decisions
        ):
            continue
        found.append(
            Finding(
                Kind.HOUSING_ENDING,
                WARNING,
                d.period_end,
                explain(Kind.HOUSING_ENDING, d.period_end, d.type_name),
            )
        )
    return found


def severe_outcomes(
    outcomes: Iterable[tuple[str, datetime.date]], today: datetime.date
) -> list[Finding]:
    """Lost contact, return to the family, new violence: the latest of each in the last 90 days."""
    oldest = today - datetime.timedelta(days=SEVERE_OUTCOME_DAYS)
    latest: dict[str, datetime.date] = {}
    for kind, on in outcomes:
        if kind in SEVERE_OUTCOME_KINDS and oldest <= on <= today:
            latest[kind] = max(on, latest.get(kind, on))
    return [Finding(kind, SEVERE, on, explain(kind, on)) for kind, on in latest.items()]


def follow_up_missed(
    follow_ups: Iterable[tuple[datetime.date, datetime.date | None]], today: datetime.date
) -> Finding | None:
    """A follow-up planned before today and not held; dated by the earliest missed."""
    missed = [planned for planned, held in follow_ups if held is None and planned < today]
    if not missed:
        return None
    first = min(missed)
    return Finding(Kind.FOLLOW_UP_MISSED, WARNING, first, explain(Kind.FOLLOW_UP_MISSED, first))


def risk_review_overdue(risks: Iterable[RiskFact], today: datetime.date) -> Finding | None:
    """The latest risk assessment's review date has passed."""
    latest = max(risks, key=lambda r: (r.assessed_on, r.pk), default=None)
    if latest is None or latest.next_review_on >= today:
        return None
    on = latest.next_review_on
    return Finding(Kind.RISK_REVIEW_OVERDUE, WARNING, on, explain(Kind.RISK_REVIEW_OVERDUE, on))


def core_need_worse(levels: Iterable[AssessedLevel]) -> list[Finding]:
    """A core need (housing, occupation, social network) assessed worse than the time before.

    Lower levels are worse (1 acute need … 5 independent); rounds on one day are ordered by id.
    """
    by_area: dict[str, list[AssessedLevel]] = {}
    for row in levels:
        if row.area in CORE_AREAS:
            by_area.setdefault(row.area, []).append(row)
    found = []
    for area in CORE_AREAS:
        rows = sorted(by_area.get(area, []), key=lambda r: (r.assessed_on, r.round_id))
        if len(rows) >= 2 and rows[-1].level < rows[-2].level:
            on = rows[-1].assessed_on
            found.append(
                Finding(
                    Kind.NEED_WORSE, WARNING, on, explain(Kind.NEED_WORSE, on, area_label(area))
                )
            )
    return found


def case_findings(facts: CaseFacts, today: datetime.date) -> list[Finding]:
    """Every built-in rule on one case; a closed case has no signals."""
    if facts.phase == CLOSED_PHASE:
        return []
    found: list[Finding | None] = [
        no_contact(facts.opened_on, facts.contacts, facts.no_contact_days, today),
        *housing_ending(facts.housing, today),
        *severe_outcomes(facts.outcomes, today),
        follow_up_missed(facts.follow_ups, today),
        risk_review_overdue(facts.risks, today),
        *core_need_worse(facts.levels),
    ]
    return [f for f in found if f is not None]
