"""The support plan's section of the case page and its timeline entries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.access import policy
from brygga.cases.models import Case
from brygga.cases.panels import Panel
from brygga.cases.timeline import TimelineEntry
from brygga.support import rules, signals
from brygga.support.areas import IBIC_LIFE_AREAS, LEVELS, NeedArea
from brygga.support.charts import LevelChart, level_chart
from brygga.support.models import (
    Assessment,
    FollowUp,
    Goal,
    ImplementationNote,
    Intervention,
    InterventionStatus,
    Task,
)

# Other apps label plan items (a referral's state on the intervention it came from): a
# provider returns {("intervention" | "task", pk): [text, …]} for a case in one query.
PlanItemBadges = Callable[[Case], dict[tuple[str, int], list[str]]]
PLAN_ITEM_BADGES: list[PlanItemBadges] = []


def register_plan_item_badges(provider: PlanItemBadges) -> PlanItemBadges:
    if provider not in PLAN_ITEM_BADGES:
        PLAN_ITEM_BADGES.append(provider)
    return provider


def _plan_item_badges(case: Case) -> dict[tuple[str, int], list[str]]:
    merged: dict[tuple[str, int], list[str]] = defaultdict(list)
    for provider in PLAN_ITEM_BADGES:
        for key, texts in provider(case).items():
            merged[key].extend(texts)
    return merged


@dataclass
class AreaSummary:
    area: str
    label: str
    ibic: str
    latest: Assessment | None
    chart: LevelChart | None
    is_gap: bool
    goals: list[Goal]

    @property
    def latest_label(self) -> str:
        return str(LEVELS[self.latest.worker_level]) if self.latest else ""


def case_support(case: Case, today: Any) -> dict[str, Any]:
    """Everything the panel shows, in five queries."""
    assessments = list(Assessment.objects.filter(case=case).order_by("assessed_on", "round_id"))
    interventions = list(
        Intervention.objects.filter(case=case)
        .select_related("type", "actor_user", "actor_unit", "decision_maker")
        .order_by("area", "-period_end", "pk")
    )
    tasks = list(
        Task.objects.filter(case=case, done_at__isnull=True)
        .select_related("actor_user", "actor_unit")
        .order_by("due_on", "pk")
    )
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("planned_on", "pk"))
    goals = list(Goal.objects.filter(case=case).order_by("area", "pk"))

    latest = rules.latest_levels(
        rules.AssessmentFact(a.area, a.assessed_on, a.worker_level, a.round_id) for a in assessments
    )
    gaps = set(
        rules.responsibility_gaps(
            phase=case.phase,
            latest=latest,
            interventions=[
                rules.InterventionFact(i.area, i.status, i.period_end) for i in interventions
            ],
            tasks=[rules.TaskFact(t.area, t.has_actor, t.is_done) for t in tasks],
            today=today,
        )
    )
    no_follow_on = set(
        rules.decisions_without_follow_on(
            [
                rules.DecisionFact(
                    i.pk, i.type_id, i.status, i.period_start, i.period_end, i.no_follow_on_needed
                )
                for i in interventions
            ],
            today,
        )
    )
    by_area: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_area[a.area].append(a)
    goals_by_area: dict[str, list[Goal]] = defaultdict(list)
    for g in goals:
        goals_by_area[g.area].append(g)
    areas = []
    for area in NeedArea:
        rows = by_area.get(area.value, [])
        if not rows and not goals_by_area.get(area.value) and area == NeedArea.CHILDREN:
            continue
        areas.append(
            AreaSummary(
                area=area.value,
                label=str(area.label),
                ibic=" · ".join(str(x) for x in IBIC_LIFE_AREAS[area]),
                latest=rows[-1] if rows else None,
                chart=level_chart([(a.assessed_on, a.worker_level, a.person_level) for a in rows])
                if rows
                else None,
                is_gap=area.value in gaps,
                goals=goals_by_area.get(area.value, []),
            )
        )
    for i in interventions:
        i.ending_soon = rules.is_ending_soon(i.status, i.period_end, today)  # type: ignore[attr-defined]
        i.lacks_follow_on = i.pk in no_follow_on  # type: ignore[attr-defined]
        i.is_short = bool(i.short_period_reason)  # type: ignore[attr-defined]
    badges = _plan_item_badges(case)
    for i in interventions:
        i.badges = badges.get(("intervention", i.pk), [])  # type: ignore[attr-defined]
    for t in tasks:
        t.badges = badges.get(("task", t.pk), [])  # type: ignore[attr-defined]
    next_follow_up = next((f for f in follow_ups if f.held_on is None), None)
    return {
        "areas": areas,
        "gaps": [a for a in areas if a.is_gap],
        "interventions": interventions,
        "tasks": tasks,
        "follow_ups": follow_ups,
        "next_follow_up": next_follow_up,
        "left_on": rules.left_protected_housing_on(case),
        "rounds": sorted({a.round_id: a.assessed_on for a in assessments}.items()),
        "today": today,
    }


RECENTLY_DONE_DAYS = 30
PANEL_IMPLEMENTATION_NOTES = 10


def support_panel(request: HttpRequest, case: Case) -> Panel:
    access = policy.access_for(request, case)
    today = timezone.localdate()
    if access.acts_in_part:
        return Panel(template="support/_part_panel.html", order=20, context=part(request, case))
    context = case_support(case, today)
    context["case"] = case
    context["may_change"] = access.may_change
    context["is_manager"] = access.is_unit_manager
    context["done_tasks"] = list(
        Task.objects.filter(
            case=case, done_at__gte=timezone.now() - timedelta(days=RECENTLY_DONE_DAYS)
        )
        .select_related("done_by", "actor_user", "actor_unit")
        .order_by("-done_at")
    )
    context["implementation_notes"] = list(
        ImplementationNote.objects.filter(case=case)
        .select_related("author")
        .order_by("-written_on", "-pk")[:PANEL_IMPLEMENTATION_NOTES]
    )
    context["signals"] = signals.signals_for_cases([case.pk], context["today"]).get(case.pk, [])
    context["awaiting"] = [
        i for i in context["interventions"] if i.status == InterventionStatus.AWAITING_MANAGER
    ]
    return Panel(template="support/_panel.html", order=20, context=context)


@dataclass
class PartArea:
    """What someone carrying out a part needs to know about one need area."""

    area: str
    label: str
    level: str
    person_goal: str
    goals: list[Goal]


def part(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The plan items the user carries on the case and what they need for them: six queries.

    Never the journal, risk assessments, protected details or the personnummer.
    """
    user = request.user
    mine = policy.own_tasks_q(user) | policy.role_queue_q(user)
    tasks = list(
        Task.objects.filter(case=case, done_at__isnull=True)
        .filter(mine)
        .select_related("actor_user", "actor_unit", "taken_by")
        .order_by("due_on", "pk")
    )
    interventions = list(
        Intervention.objects.filter(case=case)
        .filter(Q(actor_kind="staff", actor_user_id=user.pk) | policy.role_queue_q(user))
        .exclude(status__in=["ended", "refused"])
        .select_related("type", "actor_user", "actor_unit")
        .order_by("area", "pk")
    )
    areas = {t.area for t in tasks} | {i.area for i in interventions}
    latest: dict[str, Assessment] = {}
    for a in Assessment.objects.filter(case=case, area__in=areas).order_by(
        "assessed_on", "round_id"
    ):
        latest[a.area] = a
    goals: dict[str, list[Goal]] = defaultdict(list)
    for g in Goal.objects.filter(case=case, area__in=areas, achieved_on__isnull=True):
        goals[g.area].append(g)
    needs = [
        PartArea(
            area=area.value,
            label=str(area.label),
            level=str(LEVELS[latest[area.value].worker_level]) if area.value in latest else "",
            person_goal=latest[area.value].person_goal if area.value in latest else "",
            goals=goals.get(area.value, []),
        )
        for area in NeedArea
        if area.value in areas
    ]
    notes = list(
        ImplementationNote.objects.filter(case=case, author_id=user.pk).order_by(
            "-written_on", "-pk"
        )[:PANEL_IMPLEMENTATION_NOTES]
    )
    # What the user marked done within the undo window, to take back a mistaken "Klar".
    just_done = list(
        Task.objects.filter(
            case=case,
            done_by_id=user.pk,
            done_at__gte=timezone.now() - timedelta(hours=rules.TASK_UNDO_HOURS),
        ).order_by("-done_at")
    )
    return {
        "just_done": just_done,
        "case": case,
        "tasks": tasks,
        "interventions": interventions,
        "needs": needs,
        "notes": notes,
        "today": timezone.localdate(),
    }


def support_timeline(case: Case) -> list[TimelineEntry]:
    """Assessment rounds, decisions and follow-ups: three queries."""
    entries = []
    rows = Assessment.objects.filter(case=case).order_by("assessed_on", "area")
    rounds: dict[Any, list[str]] = defaultdict(list)
    for a in rows:
        rounds[a.assessed_on].append(f"{a.get_area_display()} {a.worker_level}")
    for on, parts in rounds.items():
        entries.append(
            TimelineEntry(on=on, kind="assessment", title=_("Bedömning"), detail=", ".join(parts))
        )
    for i in Intervention.objects.filter(case=case, decision_on__isnull=False).select_related(
        "type"
    ):
        entries.append(
            TimelineEntry(
                on=i.decision_on,  # type: ignore[arg-type]
                kind="decision",
                title=_("Beslut: %(type)s") % {"type": i.type.name},
                detail=str(i.get_status_display()),
                url=reverse("support:intervention_edit", args=[case.pk, i.pk]),
            )
        )
    for f in FollowUp.objects.filter(case=case, held_on__isnull=False):
        entries.append(
            TimelineEntry(
                on=f.held_on,  # type: ignore[arg-type]
                kind="follow_up",
                title=_("Uppföljning"),
                detail=_("%(months)s månader efter skyddat boende") % {"months": f.months}
                if f.months
                else "",
            )
        )
    return entries
