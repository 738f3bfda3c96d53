"""Administrators keep each district's routes: who decides, who carries out, who owns."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access.decorators import role_required
from brygga.lib.http import submitted
from brygga.organisation.models import Role
from brygga.support import services
from brygga.support.models import DistrictRoute
from brygga.support.route_forms import DistrictRouteForm

administrator_only = role_required(Role.ADMINISTRATOR)


@administrator_only
@require_http_methods(["GET"])
def route_list(request: HttpRequest) -> HttpResponse:
    routes = DistrictRoute.objects.select_related(
        "district", "intervention_type", "deciding_unit", "carrying_unit", "owner_unit"
    ).order_by("district__name", "intervention_type__name")
    return render(request, "support/routes.html", {"routes": routes})


@administrator_only
@require_http_methods(["GET", "POST"])
def route_edit(request: HttpRequest, route_id: int | None = None) -> HttpResponse:
    route = (
        get_object_or_404(
            DistrictRoute.objects.select_related("district", "intervention_type"), pk=route_id
        )
        if route_id
        else DistrictRoute()
    )
    form = DistrictRouteForm(submitted(request), instance=route)
    if request.method == "POST" and form.is_valid():
        services.save_route(request, form.save(commit=False), form.changed_data)
        messages.success(request, _("Rutinen är sparad."))
        return redirect("support:routes")
    title = f"{route.intervention_type.name}, {route.district.name}" if route.pk else _("Ny rutin")
    return render(
        request,
        "support/route_form.html",
        {"form": form, "route": route if route.pk else None, "title": title},
    )


@administrator_only
@require_POST
def route_remove(request: HttpRequest, route_id: int) -> HttpResponse:
    route = get_object_or_404(DistrictRoute, pk=route_id)
    services.remove_route(request, route)
    messages.success(request, _("Rutinen är borttagen. Planer som redan gjorts ändras inte."))
    return redirect("support:routes")
