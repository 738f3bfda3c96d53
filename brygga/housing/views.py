"""Transitional housing pages: inventory, a flat and its audited address, allocation, waits."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brygga.access import housing as access
from brygga.access import policy
from brygga.access.decorators import case_view, role_required
from brygga.access.protection import mask, record_reveal
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.cases.models import Case
from brygga.housing import queries, services
from brygga.housing.charts import occupancy_chart
from brygga.housing.forms import (
    AllocateForm,
    EndAllocationForm,
    FlatForm,
    LeaveWaitingListForm,
    WaitForm,
)
from brygga.housing.models import Allocation, Flat, WaitingEntry
from brygga.lib.http import submitted
from brygga.lib.versioning import StaleEdit
from brygga.organisation.models import Role, Unit
from brygga.organisation.roles import unit_ids_with_role


def _districts(user: object) -> set[int]:
    """The districts whose housing the user works with: those of their units."""
    units = access.inventory_unit_ids(user)
    return set(Unit.objects.filter(pk__in=units).values_list("administration_id", flat=True))


def _refused(form: object, refusal: services.HousingRefused) -> None:
    form.add_error(refusal.field, refusal.message)  # type: ignore[attr-defined]


@role_required(*access.INVENTORY_ROLES)
@require_http_methods(["GET"])
def inventory(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.flat_rows(request.user, access.visible_flats(request.user), today)
    shown = [r.holder.case.person_id for r in rows if r.holder and r.holder_visible]
    record(request, Action.VIEW, persons_shown=shown, detail={"page": "housing_inventory"})
    return render(request, "housing/inventory.html", {"rows": rows, "today": today})


@access.flat_view
@require_http_methods(["GET"])
def flat_detail(request: HttpRequest, flat: Flat) -> HttpResponse:
    allocations = list(
        Allocation.objects.filter(flat=flat).select_related("case__person", "intervention__type")
    )
    current = next((a for a in allocations if a.ended_on is None), None)
    visible = set(
        policy.visible_cases(request.user)
        .filter(pk__in={a.case_id for a in allocations})
        .values_list("pk", flat=True)
    )
    record(
        request,
        Action.VIEW,
        obj=flat,
        persons_shown=[a.case.person_id for a in allocations if a.case_id in visible],
    )
    return render(
        request,
        "housing/flat_detail.html",
        {
            "flat": flat,
            "allocations": allocations,
            "current": current,
            "visible": visible,
            "mask": mask(flat.address),
            "may_reveal": access.may_reveal_address(request.user, flat, current),
            "may_manage": access.may_manage_inventory(request.user, flat),
        },
    )


@never_cache
@require_http_methods(["GET"])
def flat_address(request: HttpRequest, flat_id: int) -> HttpResponse:
    """The explicit, audited reveal of a flat's address; 404 to anyone without the right."""
    flat = get_object_or_404(
        Flat.objects.select_related("district", "holding_unit"), pk=flat_id, removed_on=None
    )
    current = access.current_allocation(flat)
    access.require(access.may_reveal_address(request.user, flat, current))
    record_reveal(request, flat, current.case.person_id if current else None, revealed="address")
    return render(request, "housing/flat_address.html", {"flat": flat, "current": current})


flat_address.access_rule = "flat:reveal"  # type: ignore[attr-defined]


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def flat_new(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.offered().filter(pk__in=unit_ids_with_role(request.user, Role.MANAGER))
    form = FlatForm(submitted(request), units=units.select_related("administration"))
    if request.method == "POST" and form.is_valid():
        flat = services.save_flat(
            request,
            form.save(commit=False),
            new_address=form.cleaned_data["new_address"],
            based_on_version=None,
            changed=form.changed_data,
        )
        messages.success(request, _("Lägenheten är sparad."))
        return redirect("housing:flat_detail", flat_id=flat.pk)
    return render(request, "housing/flat_form.html", {"form": form, "flat": None})


@access.flat_view
@require_http_methods(["GET", "POST"])
def flat_edit(request: HttpRequest, flat: Flat) -> HttpResponse:
    access.require(access.may_manage_inventory(request.user, flat))
    form = FlatForm(submitted(request), instance=flat, units=Unit.objects.none())
    if request.method == "POST" and form.is_valid():
        try:
            services.save_flat(
                request,
                form.save(commit=False),
                new_address=form.cleaned_data["new_address"],
                based_on_version=form.cleaned_data["version"],
                changed=form.changed_data,
            )
        except StaleEdit:
            form.add_error(None, _("Någon annan har ändrat lägenheten. Ladda om sidan."))
        else:
            messages.success(request, _("Lägenheten är sparad."))
            return redirect("housing:flat_detail", flat_id=flat.pk)
    return render(request, "housing/flat_form.html", {"form": form, "flat": flat})


@access.flat_view
@require_POST
def flat_remove(request: HttpRequest, flat: Flat) -> HttpResponse:
    access.require(access.may_manage_inventory(request.user, flat))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError as exc:
        raise Http404(_("Sidan finns inte.")) from exc
    try:
        services.remove_flat(request, flat, version)
    except services.HousingRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("housing:flat_detail", flat_id=flat.pk)
    except StaleEdit:
        messages.error(request, _("Någon annan har ändrat lägenheten. Försök igen."))
        return redirect("housing:flat_detail", flat_id=flat.pk)
    messages.success(request, _("Lägenheten är borttagen ur beståndet."))
    return redirect("housing:inventory")


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, case: Case) -> HttpResponse:
    form = AllocateForm(submitted(request), case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allocate(
                request, data["intervention"], data["flat"], data["starts_on"], data["until"]
            )
        except services.HousingRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Lägenheten är tilldelad."))
            return redirect("case_detail", case_id=case.pk)
    return render(request, "housing/allocate.html", {"case": case, "form": form})


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def end_allocation(request: HttpRequest, case: Case, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.select_related("flat", "case"),
        case=case,
        pk=allocation_id,
        ended_on__isnull=True,
    )
    form = EndAllocationForm(submitted(request), allocation=allocation)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_allocation(
                request,
                allocation,
                ended_on=form.cleaned_data["ended_on"],
                moved_to=form.cleaned_data["moved_to"],
                based_on_version=form.cleaned_data["version"],
            )
        except services.HousingRefused as refusal:
            _refused(form, refusal)
        except StaleEdit:
            form.add_error(None, _("Någon annan har ändrat tilldelningen. Ladda om sidan."))
        else:
            messages.success(request, _("Tilldelningen är avslutad."))
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "housing/end_allocation.html",
        {"case": case, "form": form, "allocation": allocation},
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def wait_new(request: HttpRequest, case: Case) -> HttpResponse:
    form = WaitForm(submitted(request), case=case, instance=WaitingEntry(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_to_waiting_list(request, form.save(commit=False))
        except services.HousingRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Personen står nu i kön."))
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "housing/simple_form.html",
        {"case": case, "form": form, "title": _("Ställ i kö till tillfälligt boende")},
    )


@case_view(change=True)
@require_http_methods(["GET", "POST"])
def wait_leave(request: HttpRequest, case: Case, entry_id: int) -> HttpResponse:
    """Take the person off a waiting list, with a reason; the entry stays for the statistics."""
    entry = get_object_or_404(
        WaitingEntry.objects.select_related("district", "case"),
        case=case,
        pk=entry_id,
        left_on__isnull=True,
    )
    form = LeaveWaitingListForm(submitted(request), entry=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.leave_waiting_list(
                request, entry, data["left_on"], reason=data["reason"], note=data["note"]
            )
        except services.HousingRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Personen står inte längre i kön."))
            return redirect("case_detail", case_id=case.pk)
    return render(request, "housing/wait_leave.html", {"case": case, "form": form, "entry": entry})


@role_required(*access.INVENTORY_ROLES)
@require_http_methods(["GET"])
def waiting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.waiting_rows(request.user, _districts(request.user), today)
    record(
        request,
        Action.VIEW,
        persons_shown=[r.entry.case.person_id for r in rows if r.visible],
        detail={"page": "housing_waiting_list"},
    )
    return render(request, "housing/waiting_list.html", {"rows": rows, "today": today})


@role_required(*access.INVENTORY_ROLES)
@require_http_methods(["GET"])
def occupancy(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.occupancy_rows(_districts(request.user), today)
    charts = [occupancy_chart([(m, o.share_occupied) for m, o in r.months]) for r in rows]
    return render(
        request,
        "housing/occupancy.html",
        {"rows": list(zip(rows, charts, strict=True)), "today": today},
    )
