"""Reading the job queue (django_tasks_db's table) for scheduling and for the administrators."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.jobs import tasks

TASK_PATH = f"{tasks.run_job.func.__module__}.{tasks.run_job.func.__qualname__}"


def job_results() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=TASK_PATH)


def already_enqueued(name: str, day: datetime.date) -> bool:
    """Whether any attempt of job `name` for `day` is in the queue or has run."""
    return (
        job_results()
        .filter(args_kwargs__args__0=name, args_kwargs__args__1=day.isoformat())
        .exists()
    )


def schedule(day: datetime.date, names: tuple[str, ...] = tasks.NIGHTLY) -> list[str]:
    """Enqueue each job for `day` once; returns the names enqueued now. Safe to call again."""
    enqueued = []
    for name in names:
        if not already_enqueued(name, day):
            tasks.enqueue(name, day)
            enqueued.append(name)
    return enqueued


@transaction.atomic
def run_now(request: HttpRequest, name: str, day: datetime.date) -> None:
    """An administrator's request to run a job again (after fixing what made it fail). Audited."""
    tasks.enqueue(name, day)
    record(request, Action.CREATE, detail={"job": name, "day": day.isoformat()})


@dataclass(frozen=True)
class Run:
    """One attempt of one job, as the administrators' page shows it."""

    title: Any
    day: str
    attempt: int
    max_attempts: int
    status: str
    enqueued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    error: str  # the exception's class name only: messages may carry personal data
    summary: dict[str, Any]

    @property
    def failed_for_good(self) -> bool:
        return self.status == "FAILED" and self.attempt >= self.max_attempts

    @property
    def stalled(self) -> bool:
        """Running for longer than any job should: the worker was probably stopped mid-job
        (the library does not notice). Queue the job again from the page."""
        limit = timezone.now() - datetime.timedelta(hours=settings.JOB_STALLED_HOURS)
        return self.status == "RUNNING" and self.started_at is not None and self.started_at < limit


def recent_runs(max_attempts: int, limit: int = 100) -> list[Run]:
    """The latest attempts, newest first (one query)."""
    rows = job_results().order_by("-enqueued_at")[:limit]
    runs = []
    for row in rows:
        args = list((row.args_kwargs or {}).get("args", [])) + [None, None, None]
        name, day, attempt = args[0], args[1], args[2] or 1
        job = tasks.JOBS.get(str(name))
        runs.append(
            Run(
                title=job.title if job else str(name),
                day=str(day or ""),
                attempt=int(attempt),
                max_attempts=max_attempts,
                status=str(row.status),
                enqueued_at=row.enqueued_at,
                started_at=row.started_at,
                finished_at=row.finished_at,
                error=row.exception_class_path.rsplit(".", 1)[-1]
                if row.exception_class_path
                else "",
                summary=row.return_value if isinstance(row.return_value, dict) else {},
            )
        )
    return runs
