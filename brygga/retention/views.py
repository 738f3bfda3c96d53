"""The managers' page of a case's legal holds (bevarandebeslut): record one, lift one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.access import policy
from brygga.access.decorators import case_view
from brygga.cases.models import Case
from brygga.lib.http import submitted
from brygga.retention import holds
from brygga.retention.forms import LegalHoldForm, LiftHoldForm
from brygga.retention.models import LegalHold


def _may_decide(request: HttpRequest, case: Case) -> None:
    if not policy.may_decide_legal_hold(policy.access_for(request, case)):
        raise Http404(_("Sidan finns inte."))


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def legal_holds(request: HttpRequest, case: Case) -> HttpResponse:
    _may_decide(request, case)
    form = LegalHoldForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        holds.record_hold(
            request,
            case,
            ground=form.cleaned_data["ground"],
            reason=form.cleaned_data["reason"],
            decided_by=request.user,
        )
        messages.success(request, _("Bevarandebeslutet är registrerat. Ärendet gallras inte."))
        return redirect("retention:legal_holds", case_id=case.pk)
    rows = (
        LegalHold.objects.filter(case=case)
        .select_related("decided_by", "lifted_by")
        .order_by("-decided_on", "-pk")
    )
    return render(
        request, "retention/legal_holds.html", {"case": case, "holds": rows, "form": form}
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def lift_legal_hold(request: HttpRequest, case: Case, legal_hold_id: int) -> HttpResponse:
    _may_decide(request, case)
    hold = get_object_or_404(LegalHold.objects.select_related("case"), pk=legal_hold_id, case=case)
    form = LiftHoldForm(submitted(request))
    if hold.lifted_on is None and request.method == "POST" and form.is_valid():
        try:
            holds.lift_hold(
                request, hold, reason=form.cleaned_data["reason"], lifted_by=request.user
            )
        except holds.AlreadyLifted:
            hold.refresh_from_db()
        else:
            messages.success(request, _("Bevarandebeslutet är upphävt."))
            return redirect("retention:legal_holds", case_id=case.pk)
    return render(
        request, "retention/lift_legal_hold.html", {"case": case, "hold": hold, "form": form}
    )
