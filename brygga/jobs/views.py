"""The administrators' page of scheduled jobs: each attempt, which failed for good, run again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.access.decorators import role_required
from brygga.jobs import runs
from brygga.jobs.forms import RunJobForm
from brygga.lib.http import submitted
from brygga.organisation.models import Role


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def job_runs(request: HttpRequest) -> HttpResponse:
    form = RunJobForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        runs.run_now(request, form.cleaned_data["job"], form.cleaned_data["day"])
        messages.success(request, _("Jobbet är köat. Bakgrundsprocessen kör det strax."))
        return redirect("jobs:runs")
    attempts = runs.recent_runs(settings.JOB_MAX_ATTEMPTS)
    failed = [run for run in attempts if run.failed_for_good]
    context = {
        "runs": attempts,
        "failed": failed,
        "max_attempts": settings.JOB_MAX_ATTEMPTS,
        "form": form,
    }
    return render(request, "jobs/runs.html", context)
