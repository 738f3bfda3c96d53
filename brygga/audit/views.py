"""Log review for unit managers, a person's log extract (PDF) and a case's change history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brygga.access import policy
from brygga.access.audit_scope import person_ids_owned_by_units
from brygga.access.decorators import case_view, role_required
from brygga.audit import extract, history, review
from brygga.audit.forms import LogReviewForm
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.lib.spreadsheet import CsvWriter
from brygga.organisation.models import Role

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 20_000


def _reviewed(request: HttpRequest) -> tuple[LogReviewForm, Any]:
    """The filter form and the filtered events this manager may review (not yet run)."""
    unit_ids = policy.managed_unit_ids(request.user)
    form = LogReviewForm(request.GET or None, unit_ids=unit_ids)
    events = review.scope(unit_ids, person_ids_owned_by_units(unit_ids))
    if form.is_bound and not form.is_valid():
        return form, events.none()
    filters = form.cleaned_data if form.is_bound else {}
    return form, review.apply_filters(events, filters)


def _audit_detail(form: LogReviewForm) -> dict[str, Any]:
    return form.as_audit_detail() if form.is_bound else {}


@role_required(Role.MANAGER)
@require_GET
def log_review(request: HttpRequest) -> HttpResponse:
    form, events = _reviewed(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    busy = review.busy_days(events)
    rows = review.rows(page.object_list, busy)  # run before this review's own event is written
    detail = _audit_detail(form)
    record(
        request,
        Action.SEARCH,
        person_id=detail.get("person"),
        persons_shown=review.persons_in(row.event for row in rows),
        detail={"log_review": detail},
    )
    return render(
        request,
        "audit/log_review.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "busy": busy,
            "threshold": settings.AUDIT_MANY_PERSONS_PER_DAY,
        },
    )


@role_required(Role.MANAGER)
@require_GET
def log_review_export(request: HttpRequest) -> HttpResponse:
    form, queryset = _reviewed(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Ogiltigt filter."), status=400, content_type="text/plain")
    events = list(queryset[:EXPORT_MAX_ROWS])
    detail = _audit_detail(form)
    record(
        request,
        Action.EXPORT,
        person_id=detail.get("person"),
        persons_shown=review.persons_in(events),
        detail={"log_review": detail, "rows": len(events)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="loggkontroll-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = CsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("Tid"),
            _("Användare"),
            _("Roller"),
            _("Händelse"),
            _("Person (id)"),
            _("Objekt"),
            _("Sökväg"),
            _("Orsak"),
            _("Flaggor"),
        ]
    )
    for row in review.rows(events, review.busy_days(queryset)):
        event = row.event
        writer.writerow(
            (
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.username,
                row.roles,
                event.get_action_display(),
                event.person_id,
                f"{event.object_type} {event.object_id}".strip(),
                event.path,
                event.reason,
                ", ".join(row.flags),
            )
        )
    return response


# Only those who handle the case (responsible, workers, managers) hand out the extract: it
# lists every unit that touched the person, a document that leaves Brygga.
@case_view(change=True, audit=False)
@require_GET
def case_log_extract(request: HttpRequest, case: Any) -> HttpResponse:
    """A person's log extract: who has accessed their data and when, as a PDF to hand over."""
    record(request, Action.PRINT, obj=case, person_id=case.person_id, detail={"log_extract": 1})
    context = extract.context(case)
    html = render_to_string("audit/log_extract.html", context, request=request)
    response = HttpResponse(extract.to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="loggutdrag-arende-{case.pk}.pdf"'
    return response


@case_view()
@require_GET
def case_change_history(request: HttpRequest, case: Any) -> HttpResponse:
    return render(
        request,
        "audit/case_history.html",
        {"case": case, "person": case.person, "entries": history.entries(case)},
    )
