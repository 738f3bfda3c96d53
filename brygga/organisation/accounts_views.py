"""Administrators manage users, roles and unit memberships. No case content, no delete."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import role_required
from brygga.lib.http import submitted
from brygga.organisation import accounts_services as services
from brygga.organisation.accounts_forms import (
    MembershipForm,
    NewUserForm,
    RoleDecisionForm,
    UserNamesForm,
)
from brygga.organisation.models import Membership, Role, RoleRequest, User

USERS_PER_PAGE = 50
administrator_only = role_required(Role.ADMINISTRATOR)
# Who may be asked to approve a role: a second administrator, or the manager of the role's unit.
role_deciders = role_required(Role.ADMINISTRATOR, Role.MANAGER)
QUEUE_LIMIT = 200


def _memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit__administration").order_by("role"),
    )


def _pending_role_requests() -> Prefetch:
    return Prefetch(
        "role_requests",
        queryset=RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).select_related(
            "unit__administration", "requested_by"
        ),
        to_attr="pending_role_requests",
    )


def _account(user_id: int) -> User:
    return get_object_or_404(
        User.objects.prefetch_related(_memberships(), _pending_role_requests()), pk=user_id
    )


@administrator_only
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.prefetch_related(_memberships()).order_by("-is_active", "username")
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "organisation/accounts/user_list.html", {"page": page})


@administrator_only
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        user, code = services.create_user(
            request, form.save(commit=False), form.cleaned_data["password1"]
        )
        messages.success(request, _("Användaren är skapad. Lägg till roller på kontosidan."))
        return _show_enrolment_code(request, user, code)
    return render(request, "organisation/accounts/user_new.html", {"form": form})


@administrator_only
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    names = UserNamesForm(submitted(request), instance=account, prefix="names")
    if request.method == "POST" and names.is_valid():
        services.update_names(request, names.save(commit=False), names.changed_data)
        messages.success(request, _("Uppgifterna är sparade."))
        return redirect("account_detail", user_id=account.pk)
    return render(
        request,
        "organisation/accounts/user_detail.html",
        {
            "account": account,
            "names": names,
            "membership_form": MembershipForm(user=account, prefix="membership"),
        },
    )


@administrator_only
@require_POST
def membership_add(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    form = MembershipForm(request.POST, user=account, acting_user=request.user, prefix="membership")
    if form.is_valid():
        granted = services.grant_or_request_role(
            request, account, form.cleaned_data["role"], form.cleaned_data["unit"]
        )
        if isinstance(granted, RoleRequest):
            messages.success(
                request,
                _(
                    "Rollen väntar på godkännande av enhetens chef eller en annan "
                    "administratör. Den gäller först när den är godkänd."
                ),
            )
        else:
            messages.success(request, _("Rollen är tillagd."))
        return redirect("account_detail", user_id=account.pk)
    return render(
        request,
        "organisation/accounts/user_detail.html",
        {
            "account": account,
            "names": UserNamesForm(instance=account, prefix="names"),
            "membership_form": form,
        },
        status=400,
    )


@administrator_only
@require_POST
def membership_remove(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, user_id=user_id
    )
    if membership.user_id == request.user.pk and membership.role == Role.ADMINISTRATOR:
        messages.error(request, _("Du kan inte ta bort din egen administratörsroll."))
    else:
        services.remove_membership(request, membership)
        messages.success(request, _("Rollen är borttagen."))
    return redirect("account_detail", user_id=user_id)


@administrator_only
@require_POST
def user_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id)
    active = request.POST.get("active") == "1"
    if account.pk == request.user.pk and not active:
        messages.error(request, _("Du kan inte inaktivera ditt eget konto."))
    else:
        services.set_active(request, account, active)
        messages.success(
            request, _("Kontot är aktiverat.") if active else _("Kontot är inaktiverat.")
        )
    return redirect("account_detail", user_id=account.pk)


@administrator_only
@require_POST
def user_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id)
    code = services.reset_second_factor(request, account)
    messages.success(
        request,
        _("Autentiseraren är återställd. Användaren registrerar en ny vid nästa inloggning."),
    )
    return _show_enrolment_code(request, account, code)


ISSUED_CODE_SESSION_KEY = "brygga_issued_enrolment_code"


def _show_enrolment_code(request: HttpRequest, account: User, code: str) -> HttpResponse:
    """The clear code waits in the administrator's session only until the next page shows it."""
    request.session[ISSUED_CODE_SESSION_KEY] = {"user": account.pk, "code": code}
    return redirect("account_enrolment_code", user_id=account.pk)


@administrator_only
@require_http_methods(["GET"])
def enrolment_code_issued(request: HttpRequest, user_id: int) -> HttpResponse:
    """Shows a just-issued enrolment code once; a reload shows that it was shown."""
    account = get_object_or_404(User, pk=user_id)
    issued = request.session.get(ISSUED_CODE_SESSION_KEY) or {}
    code = None
    if issued.get("user") == account.pk:
        code = request.session.pop(ISSUED_CODE_SESSION_KEY)["code"]
    return render(
        request,
        "organisation/accounts/enrolment_code_issued.html",
        {"account": account, "code": code, "hours": settings.ENROLMENT_CODE_HOURS},
    )


@role_deciders
@require_http_methods(["GET"])
def role_request_queue(request: HttpRequest) -> HttpResponse:
    """Roles waiting for a second person: the unit's manager or another administrator."""
    pending = (
        policy.role_requests_to_decide(request.user)
        .select_related("user", "unit__administration", "requested_by")
        .order_by("requested_at", "pk")[:QUEUE_LIMIT]
    )
    return render(
        request,
        "organisation/accounts/role_request_queue.html",
        {"requests": list(pending), "form": RoleDecisionForm()},
    )


@role_deciders
@require_POST
def role_request_decide(request: HttpRequest, role_request_id: int) -> HttpResponse:
    get_object_or_404(policy.role_requests_to_decide(request.user), pk=role_request_id)
    form = RoleDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj godkänn eller avslå."))
    elif form.cleaned_data["decision"] == "approve":
        services.approve_role_request(request, role_request_id)
        messages.success(request, _("Rollen är godkänd och gäller nu."))
    else:
        services.reject_role_request(request, role_request_id)
        messages.success(request, _("Rollbegäran är avslagen."))
    return redirect("role_request_queue")
