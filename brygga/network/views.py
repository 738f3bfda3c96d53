"""The network's pages: the city view across districts and the budget assignments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access.aggregates import cases_for_aggregates
from brygga.access.decorators import role_required
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit
from brygga.network import equality, export, services
from brygga.network.forms import AssignmentForm, CityFilterForm, NoteForm
from brygga.network.models import AssignmentStatus, BudgetAssignment
from brygga.network.routes import route_rows, route_table
from brygga.organisation.models import Role


def _city(request: HttpRequest) -> tuple[CityFilterForm, equality.CaseFilter, equality.CityView]:
    form = CityFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    case_filter = equality.CaseFilter(chosen.get("kon", ""), chosen.get("alder", ""))
    today = timezone.localdate()
    facts = equality.district_facts(cases_for_aggregates(request.user), case_filter, today)
    return form, case_filter, equality.city_view(facts)


def _audit(request: HttpRequest, action: str, case_filter: equality.CaseFilter) -> None:
    detail = {"page": "city_view", "gender": case_filter.gender, "age": case_filter.age_band}
    record(request, action, detail=detail)


@role_required(Role.NETWORK)
@require_http_methods(["GET"])
def city_view(request: HttpRequest) -> HttpResponse:
    form, case_filter, view = _city(request)
    _audit(request, Action.VIEW, case_filter)
    template = "network/city_print.html" if request.GET.get("utskrift") else "network/city.html"
    return render(
        request,
        template,
        {
            "form": form,
            "view": view,
            "table": export.rows(view),
            "routes": route_table(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.NETWORK)
@require_http_methods(["GET"])
def city_csv(request: HttpRequest) -> HttpResponse:
    _form, case_filter, view = _city(request)
    _audit(request, Action.EXPORT, case_filter)
    response = HttpResponse(
        export.as_csv(export.rows(view)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="likstallighet.csv"'
    return response


@role_required(Role.NETWORK)
@require_http_methods(["GET"])
def city_xlsx(request: HttpRequest) -> HttpResponse:
    _form, case_filter, view = _city(request)
    _audit(request, Action.EXPORT, case_filter)
    response = HttpResponse(
        export.as_xlsx(
            export.rows(view),
            _("Likställighet"),
            more=[(_("Vem beviljar vad"), route_rows(route_table()))],
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="likstallighet.xlsx"'
    return response


@role_required(Role.NETWORK)
@require_http_methods(["GET"])
def assignments(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = list(
        BudgetAssignment.objects.select_related(
            "responsible_district", "responsible_unit__administration"
        ).order_by("next_check_in", "title")
    )
    overdue = [
        a
        for a in items
        if a.next_check_in and a.next_check_in < today and a.status != AssignmentStatus.DONE
    ]
    return render(
        request,
        "network/assignments.html",
        {"items": items, "overdue": overdue, "today": today},
    )


@role_required(Role.NETWORK)
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, assignment_id: int | None = None) -> HttpResponse:
    assignment = (
        get_object_or_404(BudgetAssignment, pk=assignment_id)
        if assignment_id
        else BudgetAssignment()
    )
    form = AssignmentForm(submitted(request), instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assignment(request, form.save(commit=False), form.cleaned_data["version"])
        except StaleEdit:
            form.add_error(None, _("Någon annan har ändrat uppdraget. Ladda om sidan."))
        else:
            messages.success(request, _("Uppdraget är sparat."))
            return redirect("network:assignments")
    notes = list(assignment.notes.select_related("created_by")) if assignment.pk else []
    return render(
        request,
        "network/assignment_form.html",
        {
            "form": form,
            "assignment": assignment,
            "notes": notes,
            "note_form": NoteForm(),
            "title": assignment.title if assignment.pk else _("Nytt budgetuppdrag"),
        },
    )


@role_required(Role.NETWORK)
@require_POST
def note_new(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(BudgetAssignment, pk=assignment_id)
    form = NoteForm(submitted(request))
    if form.is_valid():
        note = form.save(commit=False)
        note.assignment = assignment
        services.add_note(request, note)
        messages.success(request, _("Anteckningen är sparad."))
        return redirect("network:assignment_edit", assignment_id=assignment.pk)
    return render(
        request,
        "network/assignment_form.html",
        {
            "form": AssignmentForm(instance=assignment),
            "assignment": assignment,
            "notes": list(assignment.notes.select_related("created_by")),
            "note_form": form,
            "title": assignment.title,
        },
    )
