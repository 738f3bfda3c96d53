"""The scheduled jobs on django-tasks' database backend (decision 0091), retried when they fail.

One task, `run_job(name, day, attempt)`, runs the named job of `JOBS`. When a job raises, the
attempt is recorded as failed (by the worker, with its traceback) and, unless it was the last
of settings.JOB_MAX_ATTEMPTS, the next attempt is enqueued to run JOB_RETRY_MINUTES × attempt
later. The administrators' page (brygga/jobs/views.py) shows every attempt.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from brygga.jobs import work

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    title: str | Promise
    function: Callable[[datetime.date], dict[str, Any]]


JOBS = {
    job.name: job
    for job in (
        Job("gallring", _("Gallring"), work.gallring),
        Job("nightly_recomputation", _("Nattlig omräkning"), work.nightly_recomputation),
        Job("reminders", _("Påminnelser"), work.reminders),
    )
}
NIGHTLY = tuple(JOBS)


class UnknownJob(ValueError):
    pass


@task()
def run_job(name: str, day: str, attempt: int = 1) -> dict[str, Any]:
    """Run one attempt of job `name` for `day` (YYYY-MM-DD); enqueue the next if it fails."""
    if name not in JOBS:
        raise UnknownJob(name)
    try:
        return JOBS[name].function(datetime.date.fromisoformat(day))
    except Exception:
        if attempt < settings.JOB_MAX_ATTEMPTS:
            retry_at = timezone.now() + datetime.timedelta(
                minutes=settings.JOB_RETRY_MINUTES * attempt
            )
            run_job.using(run_after=retry_at).enqueue(name, day, attempt + 1)
            logger.warning("job %s (%s) attempt %d failed; retrying", name, day, attempt)
        else:
            logger.error("job %s (%s) failed after %d attempts", name, day, attempt)
        raise


def enqueue(name: str, day: datetime.date) -> Any:
    """Enqueue the first attempt of a job; the caller checks it is not already queued."""
    if name not in JOBS:
        raise UnknownJob(name)
    return run_job.enqueue(name, day.isoformat(), 1)
