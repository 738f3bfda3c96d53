from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import case_view, role_required
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit
from brygga.organisation.models import Role, Unit
from brygga.support import queries, routes, rules, services
from brygga.support.areas import LEVELS, applicable_areas
from brygga.support.case_list import case_list
from brygga.support.forms import (
    AreaAssessmentForm,
    AssessmentRoundForm,
    DecideForm,
    FollowUpForm,
    GoalForm,
    ImplementationNoteForm,
    InterventionForm,
    InterventionTypeForm,
    TaskDoneForm,
    TaskForm,
)
from brygga.support.models import (
    Assessment,
    FollowUp,
    Goal,
    ImplementationNote,
    Intervention,
    InterventionStatus,
    InterventionType,
    Task,
)
from brygga.support.services import latest_assessments


def _to_case(case: Case) -> HttpResponse:
    return redirect("case_detail", case_id=case.pk)


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, case: Case) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    round_form = AssessmentRoundForm(data, case=case)
    area_forms = _area_forms(data, case)
    if data is not None:
        valid = round_form.is_valid() & all([f.is_valid() for f in area_forms])
        rows = [f.row() for f in area_forms if f.is_assessed]
        if valid and not rows:
            round_form.add_error(None, _("Bedöm minst ett behovsområde."))
        elif valid:
            services.record_assessment_round(
                request, case, round_form.cleaned_data["assessed_on"], rows
            )
            messages.success(request, _("Bedömningen är sparad."))
            return _to_case(case)
    return render(
        request,
        "support/assessment_form.html",
        {
            "case": case,
            "round_form": round_form,
            "area_forms": area_forms,
            "all_forms": [round_form, *area_forms],
            "levels": LEVELS,
        },
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, case: Case) -> HttpResponse:
    form = GoalForm(submitted(request), initial={"area": request.GET.get("omrade")})
    if request.method == "POST" and form.is_valid():
        goal: Goal = form.save(commit=False)
        goal.case = case
        services.add_goal(request, goal)
        messages.success(request, _("Målet är sparat."))
        return _to_case(case)
    return render(
        request, "support/simple_form.html", {"case": case, "form": form, "title": _("Nytt mål")}
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def intervention_new(request: HttpRequest, case: Case) -> HttpResponse:
    # The district's routes propose who owns and who carries out the chosen type (ADR 0110).
    proposals = routes.proposals_for_district(case.owning_unit.administration_id)
    chosen = routes.chosen_type_id(request.GET.get("insatstyp"))
    proposal = proposals.get(chosen) if chosen is not None else None
    initial = {"status": "planned", **({"type": chosen} if chosen is not None else {})}
    form = InterventionForm(
        submitted(request),
        case=case,
        instance=Intervention(case=case),
        initial={**initial, **(proposal.initial() if proposal else {})},
    )
    if request.method == "POST" and form.is_valid():
        intervention = services.create_intervention(request, form.save(commit=False))
        _decision_message(request, intervention)
        return _to_case(case)
    return render(
        request,
        "support/intervention_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Ny insats"),
            "proposal": proposal if request.method == "GET" else None,
            "proposals": {str(k): p.as_json() for k, p in proposals.items()},
        },
    )


def _decision_message(request: HttpRequest, intervention: Intervention) -> None:
    if intervention.status == InterventionStatus.AWAITING_MANAGER:
        messages.info(
            request,
            _("Beslutet ligger utanför din delegation och har skickats till enhetschefen."),
        )
    else:
        messages.success(request, _("Insatsen är sparad."))


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, case: Case, intervention_id: int) -> HttpResponse:
    intervention = get_object_or_404(
        Intervention.objects.select_related("type"), case=case, pk=intervention_id
    )
    previous_status = intervention.status
    form = InterventionForm(submitted(request), case=case, instance=intervention)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intervention(
                request,
                intervention,
                previous_status,
                based_on_version=form.cleaned_data["version"] or 0,
                changed=set(form.changed_data) - {"version"},
            )
        except StaleEdit as conflict:
            return render(
                request,
                "support/intervention_conflict.html",
                {"case": case, "mine": intervention, "theirs": conflict.current},
                status=409,
            )
        _decision_message(request, intervention)
        return _to_case(case)
    return render(
        request,
        "support/intervention_form.html",
        {"case": case, "form": form, "title": intervention.type.name, "intervention": intervention},
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def intervention_decide(request: HttpRequest, case: Case, intervention_id: int) -> HttpResponse:
    """The unit manager decides what lies outside the worker's delegation."""
    if not policy.access_for(request, case).is_unit_manager:
        raise Http404(_("Sidan finns inte."))
    intervention = get_object_or_404(
        Intervention.objects.select_related("type", "actor_user", "actor_unit"),
        case=case,
        pk=intervention_id,
        status=InterventionStatus.AWAITING_MANAGER,
    )
    form = DecideForm(
        submitted(request),
        initial={"version": intervention.version, "legal_ground": intervention.legal_ground},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_intervention(
                request,
                intervention,
                form.cleaned_data["version"],
                approve=form.cleaned_data["decision"] == "approve",
                decision_on=form.cleaned_data["decision_on"],
                legal_ground=form.cleaned_data["legal_ground"],
            )
        except StaleEdit as conflict:
            return render(
                request,
                "support/intervention_conflict.html",
                {"case": case, "mine": intervention, "theirs": conflict.current},
                status=409,
            )
        messages.success(request, _("Beslutet är sparat."))
        return _to_case(case)
    return render(
        request,
        "support/decide.html",
        {"case": case, "form": form, "all_forms": [form], "intervention": intervention},
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, case: Case) -> HttpResponse:
    form = TaskForm(submitted(request), case=case, instance=Task(case=case))
    if request.method == "POST" and form.is_valid():
        services.add_task(request, form.save(commit=False))
        messages.success(request, _("Uppgiften är sparad."))
        return _to_case(case)
    return render(
        request, "support/simple_form.html", {"case": case, "form": form, "title": _("Ny uppgift")}
    )


def _carries_out(request: HttpRequest, task: Task) -> bool:
    return policy.may_carry_out(
        request.user,
        actor_user_id=task.actor_user_id,
        actor_role=task.actor_role,
        actor_unit_id=task.actor_unit_id,
        taken_by_id=task.taken_by_id,
    )


def _may_undo(request: HttpRequest, task: Task) -> bool:
    return rules.may_undo_done(
        task.done_at, task.done_by_id, cast(int, request.user.pk), timezone.now()
    )


@case_view(part=True)
@require_http_methods(["GET", "POST"])
def task_done(request: HttpRequest, case: Case, task_id: int) -> HttpResponse:
    """The task's owner marks it done with a note (no right to change the case needed); the
    case's workers may also mark it done or open it again."""
    task = get_object_or_404(Task, case=case, pk=task_id)
    may_change = policy.access_for(request, case).may_change
    if not (may_change or _carries_out(request, task)):
        raise Http404(_("Sidan finns inte."))
    form = TaskDoneForm(submitted(request))
    if request.method == "POST":
        done = request.POST.get("klar", "1") == "1"
        if not done and not (may_change or _may_undo(request, task)):
            raise Http404(_("Sidan finns inte."))
        version = request.POST.get("version", "")
        # A missing or malformed version is a conflict, never a save (decision 0008).
        based_on = int(version) if version.isdigit() and len(version) < 10 else 0
        if form.is_valid():
            try:
                services.set_task_done(
                    request, task, done, based_on_version=based_on, note=form.cleaned_data["note"]
                )
            except StaleEdit as conflict:
                return render(
                    request,
                    "support/task_conflict.html",
                    {"case": case, "mine_done": done, "theirs": conflict.current},
                    status=409,
                )
            messages.success(
                request,
                _("Uppgiften är klar. Blev det fel? Ångra under Klara uppgifter.")
                if done
                else _("Uppgiften är öppen igen."),
            )
            return _to_case(case)
    return render(request, "support/task_done.html", {"case": case, "task": task, "form": form})


def _queued_task(request: HttpRequest, case: Case, task_id: int) -> Task:
    """A task of the case owned by a role that the user holds in the owning unit, or 404."""
    task = get_object_or_404(Task, case=case, pk=task_id, actor_kind="role", done_at__isnull=True)
    if not policy.holds_role_in(request.user, task.actor_role, task.actor_unit_id):
        raise Http404(_("Sidan finns inte."))
    return task


@case_view(part=True)
@require_POST
def task_take(request: HttpRequest, case: Case, task_id: int) -> HttpResponse:
    task = _queued_task(request, case, task_id)
    if task.taken_by_id is not None and task.taken_by_id != request.user.pk:
        messages.error(request, _("Någon annan har redan tagit uppgiften."))
    else:
        services.take_task(request, task)
        messages.success(request, _("Uppgiften är din."))
    return redirect("start")


@case_view(part=True)
@require_POST
def task_hand_back(request: HttpRequest, case: Case, task_id: int) -> HttpResponse:
    task = _queued_task(request, case, task_id)
    if task.taken_by_id != request.user.pk:
        raise Http404(_("Sidan finns inte."))
    services.hand_back_task(request, task)
    messages.success(request, _("Uppgiften är tillbaka i enhetens kö."))
    return redirect("start")


@case_view(part=True)
@require_http_methods(["GET", "POST"])
def implementation_note_new(request: HttpRequest, case: Case) -> HttpResponse:
    """A genomförandeanteckning by someone carrying out a part of the plan, or the case's worker."""
    access = policy.access_for(request, case)
    if not (access.may_change or access.acts_in_part):
        raise Http404(_("Sidan finns inte."))
    form = ImplementationNoteForm(
        submitted(request),
        instance=ImplementationNote(case=case),
        initial={"written_on": timezone.localdate(), "area": request.GET.get("omrade")},
    )
    if request.method == "POST" and form.is_valid():
        services.add_implementation_note(request, form.save(commit=False))
        messages.success(request, _("Anteckningen är sparad."))
        return _to_case(case)
    return render(
        request,
        "support/simple_form.html",
        {"case": case, "form": form, "title": _("Ny genomförandeanteckning")},
    )


@case_view(change=True)
@require_POST
def follow_ups_schedule(request: HttpRequest, case: Case) -> HttpResponse:
    changed = services.schedule_follow_ups(request, case)
    if changed:
        messages.success(request, _("Uppföljningarna är planerade."))
    else:
        messages.info(request, _("Inga uppföljningar att planera."))
    return _to_case(case)


def _area_forms(
    data: Any, case: Case, initial: dict[str, Assessment] | None = None
) -> list[AreaAssessmentForm]:
    """One form per need area that applies to the person, pre-filled with the last levels."""
    initial = initial or {}
    forms = []
    for area in applicable_areas(case.person.accompanying_children):
        last = initial.get(area.value)
        start = (
            {
                "worker_level": last.worker_level,
                "person_level": last.person_level,
                "person_goal": last.person_goal,
            }
            if last
            else {}
        )
        form = AreaAssessmentForm(data, area=area, initial=start)
        form.last = last  # type: ignore[attr-defined]
        forms.append(form)
    return forms


def _follow_up_facts(follow_up: FollowUp) -> list[tuple[str, str]]:
    facts = [(_("Planerat datum"), follow_up.planned_on.isoformat())]
    if follow_up.months:
        facts.append(
            (
                _("Efter skyddat boende"),
                ngettext("%(n)s månad", "%(n)s månader", follow_up.months)
                % {"n": follow_up.months},
            )
        )
    return facts


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, case: Case, follow_up_id: int) -> HttpResponse:
    """Hold a follow-up: contact, notes and the re-assessment of every area, in one save."""
    follow_up = get_object_or_404(FollowUp, case=case, pk=follow_up_id)
    data = submitted(request)
    form = FollowUpForm(data, case=case, instance=follow_up)
    # A follow-up that already has its re-assessment is only amended; the round stays.
    area_forms = (
        [] if follow_up.assessment_round_id else _area_forms(data, case, latest_assessments(case))
    )
    if data is not None and form.is_valid() & all([f.is_valid() for f in area_forms]):
        rows = [f.row() for f in area_forms if f.is_assessed] if form.reassesses else []
        try:
            services.hold_follow_up(
                request,
                form.save(commit=False),
                based_on_version=form.cleaned_data["version"] or 0,
                changed=form.changed_data,
                reassessment=rows,
            )
        except StaleEdit as conflict:
            return render(
                request,
                "support/follow_up_conflict.html",
                {"case": case, "mine": form.cleaned_data, "theirs": conflict.current},
                status=409,
            )
        messages.success(
            request,
            _("Uppföljningen och den nya bedömningen är sparade.")
            if rows
            else _("Uppföljningen är sparad."),
        )
        return _to_case(case)
    return render(
        request,
        "support/follow_up_form.html",
        {
            "case": case,
            "follow_up": follow_up,
            "form": form,
            "area_forms": area_forms,
            "all_forms": [form, *area_forms],
            "follow_up_facts": _follow_up_facts(follow_up),
            "title": _("Håll uppföljning"),
        },
    )


@role_required(Role.MANAGER)
@require_GET
def manager_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    unit_ids = policy.managed_unit_ids(request.user)
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("administration"))
    cases = policy.visible_cases(request.user).filter(owning_unit_id__in=unit_ids)
    found, counts, on_team = queries.overview_signals(request.user, cases, today)
    overviews = queries.unit_overviews(cases, units, today, counts)
    workers = sorted(
        {(pk, name) for o in overviews for pk, name, _n in o.workload}, key=lambda w: (w[1], w[0])
    )
    listing = case_list(cases, request.GET, workers, [(u.pk, u.name) for u in units], today)
    todo = queries.todo_for(request.user, cases, today, unit_ids, found, on_team)
    shown = [*todo.person_ids, *(c.person_id for c in listing.page.object_list)]
    record(request, Action.VIEW, persons_shown=shown, detail={"page": "support_overview"})
    return render(
        request,
        "support/overview.html",
        {
            "overviews": overviews,
            "listing": listing,
            "todo": todo,
            "today": today,
            "many_units": len(units) > 1,
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    items = InterventionType.objects.order_by("area", "name")
    return render(request, "support/catalogue.html", {"items": items})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def catalogue_edit(request: HttpRequest, type_id: int | None = None) -> HttpResponse:
    item = get_object_or_404(InterventionType, pk=type_id) if type_id else InterventionType()
    form = InterventionTypeForm(submitted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_intervention_type(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Insatstypen är sparad."))
        return redirect("support:catalogue")
    title = item.name if item.pk else _("Ny insatstyp")
    return render(request, "support/catalogue_form.html", {"form": form, "title": title})
