"""The statistician's pages: the board report on screen and as PDF, XLSX and CSV.

Only aggregates, through disclosure control; never a row about a person. Every generation is
audited (a view of the page, an export of a file) with the period and scope, never a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from brygga.access.decorators import ViewFunc, role_required
from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation.models import Role
from brygga.stats.forms import ReportForm
from brygga.stats.periods import Period

if TYPE_CHECKING:
    from brygga.stats.report import Report

_statistician = role_required(Role.STATISTICIAN)


def statistician(view: ViewFunc) -> ViewFunc:
    """Statisticians only, and only GET: these pages change nothing."""
    return _statistician(require_GET(view))


def _report(request: HttpRequest) -> tuple[ReportForm, Report | None]:
    # Imported here: lifelines, SciPy and matplotlib take seconds to load, and every other
    # page (and every test process) would pay for them at start-up.
    from brygga.stats.report import build_report

    today = timezone.localdate()
    form = ReportForm(request.GET if request.GET else None, today=today)
    if request.GET and not form.is_valid():
        return form, None
    if form.is_bound:
        period, district = form.period(), form.cleaned_data["district"]
    else:
        period, district = Period(today.year), None
    return form, build_report(period, district, today)


def _audit(request: HttpRequest, report: Report, action: str, fmt: str) -> None:
    record(
        request,
        action,
        detail={"report": report.period.slug, "scope": report.scope, "format": fmt},
    )


@statistician
def report_page(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is not None:
        _audit(request, report, Action.VIEW, "html")
    query = request.GET.urlencode()
    return render(request, "stats/report.html", {"form": form, "report": report, "query": query})


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return HttpResponseBadRequest()
    _audit(request, report, Action.EXPORT, fmt)
    from brygga.stats import exports  # WeasyPrint and openpyxl only when a file is asked for

    if fmt == "pdf":
        response = HttpResponse(exports.to_pdf(report), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.{fmt}"'
    return response


@statistician
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@statistician
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@statistician
def report_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")
