from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brygga.access import policy
from brygga.access.decorators import case_view, role_required
from brygga.access.ratelimit import limit_registrations, limit_searches
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases import services
from brygga.cases.forms import CaseTeamForm, OpenCaseForm, SearchForm, team_role_for
from brygga.cases.models import Case, IdentityMatch
from brygga.cases.panels import case_panels
from brygga.lib.http import submitted
from brygga.organisation.models import Role
from brygga.people import services as people_services
from brygga.people.forms import PersonForm
from brygga.people.identity import InvalidIdentityNumber, blind_index, parse_identity_number

SEARCH_LIMIT = 50


@role_required(Role.WORKER, Role.MANAGER)
@limit_registrations
@require_http_methods(["GET", "POST"])
def open_case(request: HttpRequest) -> HttpResponse:
    units = policy.units_for_new_cases(request.user)
    data = request.POST if request.method == "POST" else None
    person_form = PersonForm(
        data, prefix="person", visible_persons=policy.visible_persons(request.user)
    )
    case_form = OpenCaseForm(
        data, prefix="case", units=units, initial={"responsible": request.user.pk}
    )
    if data is not None and person_form.is_valid() and case_form.is_valid():
        person = person_form.save(commit=False)
        person_form.apply_identity(person)
        case = services.register_person_and_open_case(
            request,
            person,
            case_form.cleaned_data["owning_unit"],
            case_form.cleaned_data["responsible"],
            case_form.cleaned_data["opened_on"],
            hidden_matches=person_form.hidden_match_ids,
        )
        messages.success(request, _("Personen är registrerad och ärendet öppnat."))
        return redirect("case_detail", case_id=case.pk)
    people_services.record_duplicate_lookup(request, person_form.duplicate_person_id)
    return render(
        request, "cases/open_case.html", {"person_form": person_form, "case_form": case_form}
    )


@case_view(part=True)
@require_GET
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    team = case.team_members.select_related("user").order_by("role", "user__first_name")
    access = policy.access_for(request, case)
    if access.acts_in_part:
        # Housing support and coordinators see their part: no personnummer, journal or history.
        return render(
            request,
            "cases/case_part.html",
            {
                "case": case,
                "person": case.person,
                "team": team,
                "access": access,
                "panels": case_panels(request, case, in_part=True),
            },
        )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "team": team,
            "access": access,
            "may_change": access.may_change,
            "may_set_team": access.may_set_team,
            "may_decide_legal_hold": policy.may_decide_legal_hold(access),
            "panels": case_panels(request, case),
        },
    )


@case_view()
@require_http_methods(["GET", "POST"])
def case_team(request: HttpRequest, case: Case) -> HttpResponse:
    if not policy.access_for(request, case).may_set_team:
        raise Http404(_("Sidan finns inte."))
    team = list(case.team_members.select_related("user"))
    responsible = next((m.user for m in team if m.role == "responsible"), None)
    form = CaseTeamForm(
        submitted(request),
        unit=case.owning_unit,
        initial={
            "responsible": responsible,
            "members": [m.user for m in team if m.role != "responsible"],
        },
    )
    if request.method == "POST" and form.is_valid():
        unit = case.owning_unit
        members = {
            user: team_role_for(user, unit)
            for user in form.cleaned_data["members"].prefetch_related("memberships")
        }
        services.set_case_team(request, case, form.cleaned_data["responsible"], members)
        messages.success(request, _("Ärendeteamet är sparat."))
        return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/case_team.html", {"case": case, "form": form})


@role_required(*policy.CASEWORK_ROLES)
@limit_searches
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """POST, so a personnummer never appears in a URL, a proxy log or the browser history."""
    form = SearchForm(submitted(request))
    cases: list[Case] | None = None
    if request.method == "POST" and form.is_valid():
        matches, kind = _search_matches(policy.visible_cases(request.user), form.cleaned_data["q"])
        cases = list(
            matches.select_related("person", "owning_unit__administration").order_by(
                "person__last_name", "person__first_name", "-opened_on"
            )[:SEARCH_LIMIT]
        )
        record(
            request,
            Action.SEARCH,
            persons_shown=[c.person_id for c in cases],
            detail={"kind": kind, "hits": len(cases)},
        )
    return render(
        request, "cases/search.html", {"form": form, "cases": cases, "limit": SEARCH_LIMIT}
    )


def _search_matches(visible: QuerySet[Case], query: str) -> tuple[QuerySet[Case], str]:
    """By personnummer through the blind index, otherwise every word must match a name."""
    try:
        identity = parse_identity_number(query)
    except InvalidIdentityNumber:
        identity = None
    if identity is not None:
        return visible.filter(person__identity_index=blind_index(identity.digits)), "identity"
    for term in query.split()[:4]:
        visible = visible.filter(
            Q(person__first_name__icontains=term) | Q(person__last_name__icontains=term)
        )
    return visible, "name"


def _matches_for_manager(request: HttpRequest) -> QuerySet[IdentityMatch]:
    """Open matches on persons with a case in a unit the user manages."""
    units = policy.managed_unit_ids(request.user)
    return (
        IdentityMatch.objects.filter(
            acknowledged_at__isnull=True, existing_person__cases__owning_unit_id__in=units
        )
        .select_related("existing_person", "registered_by")
        .distinct()
    )


@role_required(Role.MANAGER)
@require_GET
def identity_matches(request: HttpRequest) -> HttpResponse:
    """Numbers typed in another unit that belong to a person of the manager's units."""
    matches = list(_matches_for_manager(request)[:100])
    cases = {
        c.person_id: c
        for c in policy.visible_cases(request.user).filter(
            person_id__in=[m.existing_person_id for m in matches]
        )
    }
    rows = [(m, cases.get(m.existing_person_id)) for m in matches]
    if matches:
        record(request, Action.VIEW, persons_shown=[m.existing_person_id for m in matches])
    return render(request, "cases/identity_matches.html", {"rows": rows})


@role_required(Role.MANAGER)
@require_POST
def acknowledge_identity_match(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_object_or_404(_matches_for_manager(request), pk=match_id)
    services.acknowledge_identity_match(request, match)
    messages.success(request, _("Nummerträffen är markerad som hanterad."))
    return redirect("identity_matches")
