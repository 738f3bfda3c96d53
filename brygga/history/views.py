"""Pages of the case history: phase, stays, risk assessments, outcomes and the timeline."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brygga.access import policy
from brygga.access.decorators import case_view
from brygga.cases.models import Case
from brygga.cases.rules import PhaseRuleError
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


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def change_phase(request: HttpRequest, case: Case) -> HttpResponse:
    form = PhaseChangeForm(submitted(request), initial={"current_phase": case.phase})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_phase(
                request,
                case,
                form.cleaned_data["phase"],
                form.cleaned_data["entered_on"],
                expected_current=form.cleaned_data["current_phase"],
            )
        except PhaseRuleError as refused:
            form.add_error("phase", str(refused))
        else:
            messages.success(request, _("Fasen är ändrad."))
            return redirect("case_detail", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        _("Byt fas"),
        intro=_("Nuvarande fas: %(phase)s.") % {"phase": case.get_phase_display()},
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def add_stay(request: HttpRequest, case: Case) -> HttpResponse:
    form = StayForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data.pop("version", None)
            services.add_stay(request, case, **data)
        except services.StayRuleError as refused:
            form.add_error(refused.field, str(refused))
        else:
            messages.success(request, _("Vistelsen är sparad."))
            return redirect("case_detail", case_id=case.pk)
    return _form_page(request, case, form, _("Ny vistelse i skyddat boende"))


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
            messages.success(request, _("Vistelsen är sparad."))
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
        services.record_outcome(request, case, **form.cleaned_data)
        messages.success(request, _("Händelsen är sparad."))
        return redirect("case_detail", case_id=case.pk)
    return _form_page(request, case, form, _("Ny utfallshändelse"))


@case_view()
@require_GET
def timeline(request: HttpRequest, case: Case) -> HttpResponse:
    return render(request, "history/timeline.html", {"case": case, "entries": case_timeline(case)})
