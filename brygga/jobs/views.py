"""The administrators' page of scheduled jobs: each attempt, and which failed for good."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from brygga.access.decorators import role_required
from brygga.jobs import runs
from brygga.organisation.models import Role


@role_required(Role.ADMINISTRATOR)
@require_GET
def job_runs(request: HttpRequest) -> HttpResponse:
    attempts = runs.recent_runs(settings.JOB_MAX_ATTEMPTS)
    failed = [run for run in attempts if run.failed_for_good]
    return render(
        request,
        "jobs/runs.html",
        {"runs": attempts, "failed": failed, "max_attempts": settings.JOB_MAX_ATTEMPTS},
    )
