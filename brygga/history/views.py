"""Pages of the case history: phase, stays, risk assessments, outcomes and the timeline."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brygga.access import policy
from brygga.access.decorators import case_view
from brygga.cases.models import Case, OutcomeEvent, Phase, PhaseReason
from brygga.cases.rules import PhaseRuleError, phase_proposed_after
from brygga.cases.timeline import case_timeline
from brygga.history import services
from brygga.history.forms import (
    SCENARIO_ROWS,
    OutcomeForm,
    PhaseChangeForm,
    RiskAssessmentForm,
    StayForm,
)
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit


def _form_page(
    request: HttpRequest, case: Case, form: object, title: str, **extra: object
) -> HttpResponse:
    context = {"case": case, "form": form, "title": title, **extra}
    return render(request, "history/form.html", context)


def _relapse_proposal(case: Case) -> tuple[str, OutcomeEvent] | None:
    """The phase the case's latest outcome proposes, with that outcome (two queries); none
    once the phase has been changed after the outcome was recorded."""
    latest = case.outcomes.order_by("-occurred_on", "-pk").first()
    if latest is None:
        return None
    if case.phase_changes.filter(created_at__gt=latest.created_at).exists():
        return None
    proposed = phase_proposed_after(latest.kind, case.phase)
    return (proposed, latest) if proposed else None


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def change_phase(request: HttpRequest, case: Case) -> HttpResponse:
    """Change the phase by hand, or confirm in one click the phase a relapse proposes."""
    proposal = _relapse_proposal(case)
    form = PhaseChangeForm(submitted(request), initial={"current_phase": case.phase})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        confirmed = data["reason"] == PhaseReason.RELAPSE
        if confirmed and (proposal is None or proposal[0] != data["phase"]):
            # Only the phase actually proposed counts as confirmed; anything else is a choice.
            confirmed = False
        try:
            services.change_phase(
                request,
                case,
                data["phase"],
                data["entered_on"],
                expected_current=data["current_phase"],
                reason=PhaseReason.RELAPSE if confirmed else PhaseReason.CHOSEN,
            )
        except PhaseRuleError as refused:
            form.add_error("phase", str(refused))
        else:
            messages.success(request, _("Fasen är ändrad."))
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "history/phase_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Byt fas"),
            "proposal": proposal,
            "proposed_label": Phase(proposal[0]).label if proposal else "",
        },
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def add_stay(request: HttpRequest, case: Case) -> HttpResponse:
    form = StayForm(submitted(request))
    before = case.phase
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data.pop("version", None)
            services.add_stay(request, case, **data)
        except services.StayRuleError as refused:
            form.add_error(refused.field, str(refused))
        else:
            _stay_saved(request, case, before)
            return redirect("case_detail", case_id=case.pk)
    return _form_page(request, case, form, _("Ny vistelse i skyddat boende"))


def _stay_saved(request: HttpRequest, case: Case, phase_before: str) -> None:
    if case.phase == phase_before:
        messages.success(request, _("Vistelsen är sparad."))
        return
    messages.success(
        request,
        _(
            "Vistelsen är sparad. Utflyttningen flyttade ärendet till fasen %(phase)s från "
            "%(date)s. Stämmer det inte, byt fas under Ärendets historik."
        )
        % {
            "phase": case.get_phase_display(),
            "date": case.left_protected_housing_on.isoformat()
            if case.left_protected_housing_on
            else "",
        },
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def edit_stay(request: HttpRequest, case: Case, stay_id: int) -> HttpResponse:
    stay = get_object_or_404(case.stays.all(), pk=stay_id)
    initial = {
        "provider": stay.provider,
        "started_on": stay.started_on,
        "ended_on": stay.ended_on,
        "version": stay.version,
    }
    form = StayForm(submitted(request), initial=initial)
    before = case.phase
    if request.method == "POST" and form.is_valid():
        stay.case = case
        data = dict(form.cleaned_data)
        based_on = data.pop("version") or 0  # a missing version is a conflict, never a save
        try:
            services.update_stay(request, stay, **data, based_on_version=based_on)
        except services.StayRuleError as refused:
            form.add_error(refused.field, str(refused))
        except StaleEdit as conflict:
            context = {"case": case, "mine": data, "theirs": conflict.current}
            return render(request, "history/stay_conflict.html", context, status=409)
        else:
            _stay_saved(request, case, before)
            return redirect("case_detail", case_id=case.pk)
    return _form_page(request, case, form, _("Ändra vistelse i skyddat boende"))


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def add_risk_assessment(request: HttpRequest, case: Case) -> HttpResponse:
    form = RiskAssessmentForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_risk_assessment(
            request,
            case,
            instrument=data["instrument"],
            instrument_other=data["instrument_other"].strip(),
            assessed_on=data["assessed_on"],
            next_review_on=data["next_review_on"],
            scenarios=data["scenarios"],
        )
        messages.success(request, _("Riskbedömningen är sparad."))
        return redirect("case_risk_assessments", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        _("Ny riskbedömning"),
        intro=_(
            "Registrera resultatet: instrument, datum, risknivå per scenario och nästa "
            "omprövning. Instrumentets frågor hör inte hemma här."
        ),
        scenario_rows=SCENARIO_ROWS,
    )


@case_view()
@require_GET
def risk_assessments(request: HttpRequest, case: Case) -> HttpResponse:
    assessments = case.risk_assessments.prefetch_related("scenarios").order_by(
        "-assessed_on", "-pk"
    )
    return render(
        request,
        "history/risk_assessments.html",
        {
            "case": case,
            "assessments": assessments,
            "may_change": policy.access_for(request, case).may_change,
        },
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def add_outcome(request: HttpRequest, case: Case) -> HttpResponse:
    form = OutcomeForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        event = services.record_outcome(request, case, **form.cleaned_data)
        messages.success(request, _("Händelsen är sparad."))
        if phase_proposed_after(event.kind, case.phase):
            # A relapse: the worker confirms the proposed phase in one click, or overrides.
            return redirect("case_change_phase", case_id=case.pk)
        return redirect("case_detail", case_id=case.pk)
    return _form_page(request, case, form, _("Ny utfallshändelse"))


@case_view()
@require_GET
def timeline(request: HttpRequest, case: Case) -> HttpResponse:
    return render(request, "history/timeline.html", {"case": case, "entries": case_timeline(case)})
