"""Protected details: reveal (audited), edit (versioned), ask for access, managers decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import case_view, role_required
from brygga.access.protection import ShieldedDetails, may_see_protected_details, record_reveal
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases import services as case_services
from brygga.cases.models import Case
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit
from brygga.organisation.models import Role
from brygga.people import services
from brygga.people.forms import DecisionForm, PersonForm, ProtectedDetailsForm, ReasonForm
from brygga.people.models import (
    AccessRequest,
    AccessRequestStatus,
    ProtectedDetails,
    ProtectedDetailsGrant,
)


def _details(case: Case) -> ProtectedDetails | None:
    return ProtectedDetails.objects.filter(person_id=case.person_id).first()


@case_view(audit=False, part=True)
@never_cache
@require_http_methods(["GET"])
def protected_details(request: HttpRequest, case: Case) -> HttpResponse:
    """The explicit reveal. Without a right to see, the same page stays masked."""
    person = case.person
    may_see = may_see_protected_details(request.user, person)
    record_reveal(request, case, person.pk, revealed=may_see)
    pending = (
        not may_see
        and AccessRequest.objects.filter(
            case=case, requested_by_id=request.user.pk, status=AccessRequestStatus.PENDING
        ).exists()
    )
    return render(
        request,
        "people/protected_details.html",
        {
            "case": case,
            "person": person,
            "details": ShieldedDetails(person, _details(case), revealed=may_see),
            "may_see": may_see,
            "may_edit": may_see and policy.access_for(request, case).may_change,
            "pending": pending,
            "form": ReasonForm(),
        },
    )


@case_view(change=True)
@never_cache
@require_http_methods(["GET", "POST"])
def edit_protected_details(request: HttpRequest, case: Case) -> HttpResponse:
    person = case.person
    if not may_see_protected_details(request.user, person):
        raise Http404(_("Sidan finns inte."))
    details = _details(case) or ProtectedDetails(person=person, version=0)
    form = ProtectedDetailsForm(submitted(request), instance=details)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_protected_details(
                request,
                person,
                form.instance,
                based_on_version=form.cleaned_data["version"] or 0,
                changed=form.changed_data,
            )
        except StaleEdit:
            form.add_error(
                None,
                _(
                    "Någon annan sparade uppgifterna medan du redigerade. Dina ändringar är "
                    "inte sparade. Ladda om sidan och gör om dem."
                ),
            )
            return render(
                request,
                "people/edit_protected_details.html",
                {"case": case, "form": form},
                status=409,
            )
        messages.success(request, _("De skyddade uppgifterna är sparade."))
        return redirect("protected_details", case_id=case.pk)
    return render(request, "people/edit_protected_details.html", {"case": case, "form": form})


@case_view(part=True)
@require_POST
def request_protected_access(request: HttpRequest, case: Case) -> HttpResponse:
    if may_see_protected_details(request.user, case.person):
        return redirect("protected_details", case_id=case.pk)
    pending = AccessRequest.objects.filter(
        case=case, requested_by_id=request.user.pk, status=AccessRequestStatus.PENDING
    )
    if pending.exists():
        messages.info(request, _("Du har redan en begäran som väntar på enhetschefens beslut."))
        return redirect("protected_details", case_id=case.pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.request_access(request, case, form.cleaned_data["reason"])
        messages.success(request, _("Din begäran är skickad till enhetschefen."))
        return redirect("protected_details", case_id=case.pk)
    return render(
        request,
        "people/protected_details.html",
        {
            "case": case,
            "person": case.person,
            "details": ShieldedDetails(case.person, _details(case), revealed=False),
            "may_see": False,
            "may_edit": False,
            "pending": False,
            "form": form,
        },
        status=400,
    )


def _requests_for_manager(request: HttpRequest):  # type: ignore[no-untyped-def]
    units = policy.managed_unit_ids(request.user)
    return AccessRequest.objects.filter(case__owning_unit_id__in=units)


@role_required(Role.MANAGER)
@require_http_methods(["GET"])
def access_requests(request: HttpRequest) -> HttpResponse:
    pending = list(
        _requests_for_manager(request)
        .filter(status=AccessRequestStatus.PENDING)
        .select_related("case__owning_unit", "person", "requested_by")
        .order_by("requested_at")[:200]
    )
    if pending:
        record(
            request,
            Action.VIEW,
            persons_shown=[r.person_id for r in pending],
            detail={"page": "protected_access_requests"},
        )
    grants = list(
        _active_grants_for_manager(request)
        .select_related("person", "user", "granted_by")
        .order_by("expires_at")[:200]
    )
    if grants:
        record(
            request,
            Action.VIEW,
            persons_shown=[g.person_id for g in grants],
            detail={"page": "protected_access_grants"},
        )
    return render(
        request,
        "people/access_requests.html",
        {"requests": pending, "form": DecisionForm(), "grants": grants},
    )


def _active_grants_for_manager(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Unexpired, unrevoked grants on persons with a case in a unit the user manages."""
    units = policy.managed_unit_ids(request.user)
    return ProtectedDetailsGrant.objects.filter(
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        person__cases__owning_unit_id__in=units,
    ).distinct()


@role_required(Role.MANAGER)
@require_POST
def revoke_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(_active_grants_for_manager(request), pk=grant_id)
    services.revoke_grant(request, grant)
    messages.success(request, _("Behörigheten är återkallad."))
    return redirect("access_requests")


@role_required(Role.MANAGER)
@require_POST
def decide_access_request(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = get_object_or_404(
        _requests_for_manager(request).filter(status=AccessRequestStatus.PENDING),
        pk=request_id,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj ett beslut."))
    elif access_request.requested_by_id == request.user.pk:
        messages.error(request, _("Du kan inte besluta om din egen begäran."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        services.decide_access_request(request, access_request, approve=approve)
        messages.success(
            request, _("Begäran är beviljad.") if approve else _("Begäran är avslagen.")
        )
    return redirect("access_requests")


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, case: Case) -> HttpResponse:
    person = case.person
    form = PersonForm(
        submitted(request),
        instance=person,
        visible_persons=policy.visible_persons(request.user),
        may_lower_protection=policy.access_for(request, case).is_unit_manager,
    )
    if request.method == "POST" and form.is_valid():
        form.apply_identity(person)
        changed = set(form.changed_data) - {"version", "identity_input", "protection_reason"}
        if "identity_input" in form.changed_data:
            changed |= {"identity_kind", "identity_number", "identity_index"}
        try:
            case_services.update_person(
                request,
                person,
                based_on_version=form.cleaned_data["version"] or 0,
                changed=changed,
                hidden_matches=form.hidden_match_ids,
                lowered_from=(form.level_before or "") if form.lowers_protection else "",
                reason=form.cleaned_data["protection_reason"],
            )
        except StaleEdit as conflict:
            return render(
                request,
                "people/person_conflict.html",
                {"case": case, "mine": form.cleaned_data, "theirs": conflict.current},
                status=409,
            )
        messages.success(request, _("Uppgifterna är sparade."))
        return redirect("case_detail", case_id=case.pk)
    services.record_duplicate_lookup(request, form.duplicate_person_id)
    return render(request, "people/edit_person.html", {"case": case, "form": form})
