"""Emergency access (nödåtkomst): open a case outside one's team with a reason; managers review.

A refused request looks exactly like a request for a case that does not exist. See
docs/decisions/0010-emergency-access.md.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access import policy, services
from brygga.access.decorators import role_required
from brygga.access.forms import EmergencyAccessForm
from brygga.access.models import EmergencyAccess
from brygga.access.policy import CASEWORK_ROLES
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib.http import submitted
from brygga.organisation.models import Role

REVIEW_LIMIT = 100


@role_required(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    initial = {"case_number": request.GET.get("arende")} if request.method == "GET" else None
    form = EmergencyAccessForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        number, reason = form.cleaned_data["case_number"], form.cleaned_data["reason"]
        case = services.case_open_to_emergency_access(request.user, number)
        if case is not None:
            if services.needs_emergency_access(request.user, case):
                services.grant_emergency_access(request, case, reason)
                messages.warning(
                    request,
                    _("Nödåtkomst gäller i %(hours)s timmar. Enhetschefen granskar den.")
                    % {"hours": _hours()},
                )
            return redirect("case_detail", case_id=case.pk)
        services.refuse_emergency_access(request, number, reason)
        form.add_error("case_number", _("Det finns inget ärende med det numret som du kan öppna."))
    return render(request, "access/emergency_access.html", {"form": form, "hours": _hours()})


def _hours() -> str:
    from django.conf import settings

    hours = settings.EMERGENCY_ACCESS_HOURS
    return f"{hours:g}"


def _reviewable(request: HttpRequest):  # type: ignore[no-untyped-def]
    units = policy.managed_unit_ids(request.user)
    return EmergencyAccess.objects.filter(case__owning_unit_id__in=units)


@role_required(Role.MANAGER)
@require_http_methods(["GET"])
def emergency_review(request: HttpRequest) -> HttpResponse:
    rows = _reviewable(request).select_related("user", "case__person", "acknowledged_by")
    pending = list(rows.filter(acknowledged_at__isnull=True).order_by("started_at")[:REVIEW_LIMIT])
    done = list(rows.filter(acknowledged_at__isnull=False).order_by("-started_at")[:REVIEW_LIMIT])
    shown = [a.case.person_id for a in pending + done]
    if shown:
        record(request, Action.VIEW, persons_shown=shown, detail={"page": "emergency_review"})
    return render(request, "access/emergency_review.html", {"pending": pending, "done": done})


@role_required(Role.MANAGER)
@require_POST
def acknowledge_emergency_access(request: HttpRequest, access_id: int) -> HttpResponse:
    access = get_object_or_404(
        _reviewable(request).filter(acknowledged_at__isnull=True).select_related("case"),
        pk=access_id,
    )
    services.acknowledge(request, access)
    messages.success(request, _("Nödåtkomsten är granskad."))
    return redirect("emergency_review")
