"""The case page's history panel and the timeline sources of the case history."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.access import policy
from brygga.cases.models import Case, Phase, PhaseChange, PhaseReason
from brygga.cases.panels import Panel
from brygga.cases.timeline import TimelineEntry

PANEL_OUTCOMES = 10


def history_panel(request: HttpRequest, case: Case) -> Panel:
    """Phase history, stays, the latest risk assessment and outcomes: five queries."""
    phases = list(case.phase_changes.select_related("created_by").order_by("entered_on", "pk"))
    stays = list(case.stays.order_by("started_on", "pk"))
    latest_risk = (
        case.risk_assessments.prefetch_related("scenarios").order_by("-assessed_on", "-pk").first()
    )
    outcomes = list(case.outcomes.order_by("-occurred_on", "-pk")[:PANEL_OUTCOMES])
    today = timezone.localdate()
    return Panel(
        template="history/panel.html",
        order=20,
        context={
            "case": case,
            "phases": [(change, who_changed_phase(change)) for change in phases],
            "stays": stays,
            "latest_risk": latest_risk,
            "risk_review_due": latest_risk is not None
            and case.phase != Phase.CLOSED
            and latest_risk.next_review_on <= today,
            "outcomes": outcomes,
            "may_change": policy.access_for(request, case).may_change,
        },
    )


def who_changed_phase(change: PhaseChange) -> str:
    """Who made a phase change and why: chosen by a worker, or followed from a recorded fact."""
    user = change.created_by
    if user is None:
        return ""
    who = user.get_full_name() or user.get_username()
    if change.reason == PhaseReason.MOVE_OUT:
        return _("Följde av utflyttningen som %(who)s registrerade") % {"who": who}
    if change.reason == PhaseReason.RELAPSE:
        return _("Föreslagen efter ett återfall, bekräftad av %(who)s") % {"who": who}
    return _("Ändrad av %(who)s") % {"who": who}


def phase_entries(case: Case) -> list[TimelineEntry]:
    changes = list(case.phase_changes.select_related("created_by").order_by("entered_on", "pk"))
    if not changes:
        return [
            TimelineEntry(
                on=case.opened_on,
                kind="phase",
                title=_("Ärendet öppnat – fas: %(phase)s") % {"phase": case.get_phase_display()},
            )
        ]
    return [
        TimelineEntry(
            on=change.entered_on,
            kind="phase",
            title=_("Fas: %(phase)s") % {"phase": change.get_phase_display()},
            detail=who_changed_phase(change),
        )
        for change in changes
    ]


# The timeline is read by everyone who sees the case: it never names where the person stays
# (the protected-housing provider) nor carries outcome notes (which may say where they moved).


def stay_entries(case: Case) -> list[TimelineEntry]:
    entries = []
    for stay in case.stays.all():
        url = reverse("case_edit_stay", args=[case.pk, stay.pk])
        entries.append(
            TimelineEntry(
                on=stay.started_on,
                kind="stay",
                title=_("Flyttade in i skyddat boende"),
                url=url,
            )
        )
        if stay.ended_on:
            entries.append(
                TimelineEntry(
                    on=stay.ended_on,
                    kind="stay",
                    title=_("Flyttade ut från skyddat boende"),
                    url=url,
                )
            )
    return entries


def risk_entries(case: Case) -> list[TimelineEntry]:
    url = reverse("case_risk_assessments", args=[case.pk])
    return [
        TimelineEntry(
            on=assessment.assessed_on,
            kind="risk",
            title=_("Riskbedömning (%(instrument)s)") % {"instrument": assessment.instrument_label},
            detail=", ".join(
                f"{s.scenario}: {s.get_level_display()}" for s in assessment.scenarios.all()
            ),
            url=url,
        )
        for assessment in case.risk_assessments.prefetch_related("scenarios")
    ]


def outcome_entries(case: Case) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            on=event.occurred_on,
            kind="outcome",
            title=str(event.get_kind_display()),
            is_relapse=event.is_relapse,
        )
        for event in case.outcomes.all()
    ]
