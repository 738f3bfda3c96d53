"""Administrators keep the organisation: districts, units and teams. Never deleted: deactivated.

A deactivated unit or team keeps its cases, staff and history; pickers no longer offer it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access.decorators import role_required
from brygga.cases.models import Case, Phase
from brygga.lib.http import submitted
from brygga.organisation import structure_services as services
from brygga.organisation.models import Administration, Membership, Role, Team, Unit
from brygga.organisation.structure_forms import (
    ActiveForm,
    AdministrationForm,
    TeamChoiceForm,
    TeamForm,
    UnitForm,
)

administrator_only = role_required(Role.ADMINISTRATOR)


def _with_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Open cases and staff per unit as correlated counts: joining both would multiply the
    rows (cases × memberships) of every unit."""
    open_cases = (
        Case.objects.filter(owning_unit=OuterRef("pk"))
        .exclude(phase=Phase.CLOSED)
        .order_by()
        .values("owning_unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    staff = (
        Membership.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return units.annotate(
        open_cases=Coalesce(Subquery(open_cases), 0), staff=Coalesce(Subquery(staff), 0)
    )


def _counted_units() -> Prefetch:
    return Prefetch("units", queryset=_with_counts(Unit.objects.order_by("-active", "name")))


def _active_from(request: HttpRequest) -> bool:
    form = ActiveForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Ogiltig begäran."))
    return bool(form.cleaned_data["active"])


@administrator_only
@require_http_methods(["GET"])
def structure(request: HttpRequest) -> HttpResponse:
    """Every administration with its units, their open cases and staff: three queries."""
    administrations = Administration.objects.prefetch_related(
        _counted_units(), Prefetch("units__teams", queryset=Team.objects.order_by("name"))
    ).order_by("-active", "kind", "name")
    return render(
        request, "organisation/structure/overview.html", {"administrations": administrations}
    )


@administrator_only
@require_http_methods(["GET", "POST"])
def administration_edit(request: HttpRequest, administration_id: int | None = None) -> HttpResponse:
    administration = (
        get_object_or_404(Administration, pk=administration_id)
        if administration_id
        else Administration()
    )
    form = AdministrationForm(submitted(request), instance=administration)
    if request.method == "POST" and form.is_valid():
        services.save(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Förvaltningen är sparad."))
        return redirect("organisation:structure")
    return render(
        request,
        "organisation/structure/administration_form.html",
        {
            "form": form,
            "administration": administration if administration.pk else None,
            "title": administration.name if administration.pk else _("Ny förvaltning"),
        },
    )


@administrator_only
@require_POST
def administration_set_active(request: HttpRequest, administration_id: int) -> HttpResponse:
    administration = get_object_or_404(Administration, pk=administration_id)
    active = _active_from(request)
    services.set_active(request, administration, active)
    messages.success(
        request,
        _("Förvaltningen är aktiv igen.")
        if active
        else _("Förvaltningen är inaktiverad. Dess enheter erbjuds inte längre i listor."),
    )
    return redirect("organisation:administration_edit", administration_id=administration.pk)


@administrator_only
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    form = UnitForm(submitted(request), initial={"administration": request.GET.get("forvaltning")})
    if request.method == "POST" and form.is_valid():
        unit = services.save(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Enheten är skapad. Lägg till team nedan."))
        return redirect("organisation:unit_edit", unit_id=unit.pk)
    return render(
        request,
        "organisation/structure/unit_new.html",
        {"form": form, "title": _("Ny enhet")},
    )


def _unit_page(
    request: HttpRequest,
    unit: Unit,
    form: UnitForm,
    team_form: TeamForm,
    status: int = 200,
    wrong_team: tuple[int, TeamChoiceForm] | None = None,
) -> HttpResponse:
    teams = list(
        unit.teams.annotate(staff=Count("memberships__user", distinct=True)).order_by(
            "-active", "name"
        )
    )
    staff = []
    for membership in Membership.objects.filter(unit=unit).select_related("user", "team"):
        if wrong_team and wrong_team[0] == membership.pk:
            choice = wrong_team[1]
        else:
            choice = TeamChoiceForm(
                teams=teams, current=membership.team_id, prefix=f"m{membership.pk}"
            )
        staff.append((membership, choice))
    staff.sort(key=lambda row: (row[0].user.get_full_name(), row[0].role))
    return render(
        request,
        "organisation/structure/unit_form.html",
        {
            "unit": unit,
            "form": form,
            "team_form": team_form,
            "teams": teams,
            "staff": staff,
            "title": unit.name,
        },
        status=status,
    )


def _counted_unit(unit_id: int) -> Unit:
    return get_object_or_404(
        _with_counts(Unit.objects.select_related("administration")), pk=unit_id
    )


@administrator_only
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _counted_unit(unit_id)
    form = UnitForm(submitted(request), instance=unit)
    if request.method == "POST" and form.is_valid():
        services.save(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Enheten är sparad."))
        return redirect("organisation:unit_edit", unit_id=unit.pk)
    return _unit_page(request, unit, form, TeamForm(unit=unit, prefix="team"))


@administrator_only
@require_POST
def unit_set_active(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    active = _active_from(request)
    services.set_active(request, unit, active)
    messages.success(
        request,
        _("Enheten är aktiv igen.")
        if active
        else _("Enheten är inaktiverad. Dess ärenden och personal finns kvar."),
    )
    return redirect("organisation:unit_edit", unit_id=unit.pk)


@administrator_only
@require_POST
def team_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _counted_unit(unit_id)
    team_form = TeamForm(request.POST, unit=unit, prefix="team", instance=Team(unit=unit))
    if team_form.is_valid():
        services.save(request, team_form.save(commit=False), team_form.changed_data)
        messages.success(request, _("Teamet är skapat."))
        return redirect("organisation:unit_edit", unit_id=unit.pk)
    return _unit_page(request, unit, UnitForm(instance=unit), team_form, status=400)


@administrator_only
@require_POST
def membership_team(request: HttpRequest, unit_id: int, membership_id: int) -> HttpResponse:
    """Place a member of the unit's staff in one of its teams (not an access right)."""
    unit = _counted_unit(unit_id)
    membership = get_object_or_404(Membership, pk=membership_id, unit=unit)
    teams = list(unit.teams.all())
    form = TeamChoiceForm(
        request.POST, teams=teams, current=membership.team_id, prefix=f"m{membership.pk}"
    )
    if form.is_valid():
        services.set_team(request, membership, form.cleaned_data["team"])
        messages.success(request, _("Teamet är sparat för %(name)s.") % {"name": membership.user})
        return redirect("organisation:unit_edit", unit_id=unit.pk)
    return _unit_page(
        request,
        unit,
        UnitForm(instance=unit),
        TeamForm(unit=unit, prefix="team"),
        status=400,
        wrong_team=(membership.pk, form),
    )


@administrator_only
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("unit__administration"), pk=team_id)
    form = TeamForm(submitted(request), unit=team.unit, instance=team)
    if request.method == "POST" and form.is_valid():
        services.save(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Teamet är sparat."))
        return redirect("organisation:unit_edit", unit_id=team.unit_id)
    return render(
        request,
        "organisation/structure/team_form.html",
        {"form": form, "team": team, "title": team.name},
    )


@administrator_only
@require_POST
def team_set_active(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    active = _active_from(request)
    services.set_active(request, team, active)
    messages.success(
        request, _("Teamet är aktivt igen.") if active else _("Teamet är inaktiverat.")
    )
    return redirect("organisation:team_edit", team_id=team.pk)
