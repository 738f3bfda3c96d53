"""Rules of the case history: phase changes, relapse, risk reviews. Pure where possible."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from brygga.cases.models import RELAPSE_KINDS, Case, OutcomeKind, Phase, RiskAssessment


def is_relapse(kind: str) -> bool:
    return kind in RELAPSE_KINDS


class PhaseRuleError(ValueError):
    """A phase change the rules refuse; the message is Swedish and shown next to the field."""


def check_phase_change(
    *,
    current: str,
    new: str,
    on: datetime.date,
    opened_on: datetime.date,
    latest_change_on: datetime.date | None,
    today: datetime.date,
) -> None:
    """Raises PhaseRuleError unless the case may go from `current` to `new` on `on`.

    Any phase may follow any other (people move back to protected housing; a closed case may
    be re-opened into any open phase), but never the same phase again, never a date in the
    future, before the case was opened or before the latest recorded change.
    """
    if new not in Phase.values:
        raise PhaseRuleError(_("Välj en av faserna i listan."))
    if new == current:
        raise PhaseRuleError(
            _("Ärendet är redan i fasen %(phase)s.") % {"phase": Phase(current).label}
        )
    if on > today:
        raise PhaseRuleError(_("Ett fasbyte kan inte ligga i framtiden."))
    if on < opened_on:
        raise PhaseRuleError(
            _("Fasbytet kan inte ligga före att ärendet öppnades (%(date)s).")
            % {"date": opened_on.isoformat()}
        )
    if latest_change_on is not None and on < latest_change_on:
        raise PhaseRuleError(
            _("Fasbytet kan inte ligga före det senaste fasbytet (%(date)s).")
            % {"date": latest_change_on.isoformat()}
        )


def phase_after_move_out(current: str, left_on: datetime.date | None) -> str | None:
    """The phase a recorded move-out leads to: a case in protected housing whose latest stay
    has ended moves on to moving out (utslussning). None when the facts change nothing."""
    if current == Phase.PROTECTED_HOUSING and left_on is not None:
        return Phase.MOVING_OUT
    return None


# After a relapse the case goes back: a new stay means protected housing again; returning to
# the family from a later phase means the way out is being planned again (decision 0041).
_RELAPSE_PROPOSALS: dict[str, dict[str, str]] = {
    OutcomeKind.NEW_PROTECTED_STAY: {
        Phase.MOVING_OUT: Phase.PROTECTED_HOUSING,
        Phase.ESTABLISHING: Phase.PROTECTED_HOUSING,
        Phase.OWN_FEET: Phase.PROTECTED_HOUSING,
    },
    OutcomeKind.RETURNED_TO_FAMILY: {
        Phase.ESTABLISHING: Phase.MOVING_OUT,
        Phase.OWN_FEET: Phase.MOVING_OUT,
    },
}


def phase_proposed_after(kind: str, current: str) -> str | None:
    """The phase to propose after an outcome of `kind` on a case in `current`, or None."""
    return _RELAPSE_PROPOSALS.get(kind, {}).get(current)


def is_reopening(current: str, new: str) -> bool:
    return current == Phase.CLOSED and new != Phase.CLOSED


def left_protected_housing_on(
    stays: list[tuple[datetime.date, datetime.date | None]],
) -> datetime.date | None:
    """The end of the latest stay (by start date); None while that stay goes on or with none."""
    if not stays:
        return None
    return max(stays, key=lambda stay: stay[0])[1]


def risk_reviews_due(cases_qs: QuerySet[Case], today: datetime.date) -> QuerySet[RiskAssessment]:
    """Each open case's latest risk assessment whose review date is today or past.

    One query whatever the number of cases; pass an access queryset (policy.visible_cases).
    """
    latest = (
        RiskAssessment.objects.filter(case_id=OuterRef("case_id"))
        .order_by("-assessed_on", "-pk")
        .values("pk")[:1]
    )
    return (
        RiskAssessment.objects.filter(
            case__in=cases_qs.exclude(phase=Phase.CLOSED).values("pk"),
            next_review_on__lte=today,
            pk=Subquery(latest),
        )
        .select_related("case__person")
        .order_by("next_review_on", "pk")
    )
