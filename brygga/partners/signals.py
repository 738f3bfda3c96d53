"""An early-warning signal: a referral to civil society still unanswered after N days.

Registered with brygga.support.signals in PartnersConfig.ready() (ADR 0031). The SQL here is
the twin of the pure rule `rules.unanswered_referrals`; a hypothesis test checks that both
flag the same referrals. One query whatever the number of cases.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from brygga.cases.models import Phase
from brygga.partners import rules
from brygga.partners.models import Referral, ReferralStatus
from brygga.support.signals import WARNING, CaseIds, Signal, scope

KIND = "referral_unanswered"


def unanswered_signal(
    case_id: int, organisation: str, sent_on: datetime.date, today: datetime.date
) -> Signal:
    """The signal for one unanswered referral, dated the day it became overdue."""
    return Signal(
        case_id=case_id,
        kind=KIND,
        severity=WARNING,
        explanation=_("Förmedlingen till %(organisation)s har inte besvarats på %(days)s dagar.")
        % {"organisation": organisation, "days": (today - sent_on).days},
        since=sent_on + datetime.timedelta(days=rules.UNANSWERED_AFTER_DAYS),
    )


def unanswered_referral_signals(case_ids: CaseIds, today: datetime.date) -> Iterable[Signal]:
    overdue_from = today - datetime.timedelta(days=rules.UNANSWERED_AFTER_DAYS)
    rows = (
        Referral.objects.filter(
            case_id__in=scope(case_ids), status=ReferralStatus.SENT, sent_on__lte=overdue_from
        )
        .exclude(case__phase=Phase.CLOSED)
        .order_by("sent_on", "pk")
        .values_list("case_id", "organisation__name", "sent_on")
    )
    return [unanswered_signal(case_id, name, sent_on, today) for case_id, name, sent_on in rows]
