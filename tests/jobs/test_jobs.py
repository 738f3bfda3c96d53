"""Scheduled jobs: enqueued once a night, run by the database worker, retried when they fail,
and shown to administrators (decision 0091)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case
from brygga.jobs import runs, tasks
from brygga.support.models import FollowUp
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

NIGHT = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def retry_at_once(settings, monkeypatch):
    settings.JOB_MAX_ATTEMPTS = 3
    settings.JOB_RETRY_MINUTES = 0
    # The worker closes "old" connections between tasks; inside the test's transaction that
    # would close the test's own connection (PostgreSQL). A real worker runs in autocommit.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


def schedule(*args: str) -> str:
    out = io.StringIO()
    call_command("jobs_schedule", "--today", NIGHT.isoformat(), *args, stdout=out)
    return out.getvalue()


def failing(day: datetime.date) -> dict:
    raise RuntimeError("Fiktivt fel med personuppgift Anna Andersson")


def test_the_nightly_jobs_are_enqueued_once_and_the_worker_runs_them(cast):
    first = schedule()
    again = schedule()

    assert "gallring, nightly_recomputation, reminders" in first
    assert "nothing new" in again
    assert runs.job_results().count() == 3

    run_worker()

    statuses = set(runs.job_results().values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL"}
    assert Case.objects.filter(pk=cast.case.pk).exists()  # an open case is never removed


def test_the_nightly_recomputation_plans_the_follow_ups_of_a_case_that_left_protected_housing(
    cast,
):
    case = cast.case
    case.left_protected_housing_on = datetime.date(2026, 10, 1)
    case.save()

    schedule("--job", "nightly_recomputation")
    run_worker()

    result = runs.job_results().get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["follow_ups_changed"] >= 1
    assert FollowUp.objects.filter(case=case).exists()


def test_a_failing_job_is_retried_then_shown_as_failed_to_the_administrator(
    cast, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setitem(tasks.JOBS, "reminders", tasks.Job("reminders", "Påminnelser", failing))
    schedule("--job", "reminders")

    run_worker()

    attempts = runs.job_results().order_by("enqueued_at")
    assert [row.status for row in attempts] == ["FAILED", "FAILED", "FAILED"]
    assert [row.args_kwargs["args"][2] for row in attempts] == [1, 2, 3]
    client = signed_in(cast.administrator)
    with django_assert_max_num_queries(8):
        page = client.get("/schemalagda-jobb/").content.decode()
    assert "Misslyckade jobb" in page
    assert f"Påminnelser för {NIGHT.isoformat()} misslyckades efter 3 försök (RuntimeError)" in page
    assert "Anna Andersson" not in page  # the exception's message may name a person


def test_a_job_that_succeeds_on_its_second_attempt_is_not_shown_as_failed(cast, monkeypatch):
    calls = []

    def flaky(day: datetime.date) -> dict:
        calls.append(day)
        if len(calls) == 1:
            raise RuntimeError("tillfälligt fel")
        return {"ok": 1}

    monkeypatch.setitem(tasks.JOBS, "reminders", tasks.Job("reminders", "Påminnelser", flaky))
    schedule("--job", "reminders")

    run_worker()

    assert sorted(runs.job_results().values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    page = signed_in(cast.administrator).get("/schemalagda-jobb/").content.decode()
    assert "Inga jobb har misslyckats slutgiltigt." in page
    assert "ok: 1" in page
    assert "misslyckades efter" not in page


def test_the_page_runs_the_same_number_of_queries_for_many_runs(cast, django_assert_num_queries):
    schedule()
    client = signed_in(cast.administrator)
    client.get("/schemalagda-jobb/")
    with django_assert_num_queries(count := _queries(client)):
        client.get("/schemalagda-jobb/")
    for day in range(1, 20):
        runs.schedule(NIGHT + datetime.timedelta(days=day))
    with django_assert_num_queries(count):
        page = client.get("/schemalagda-jobb/").content.decode()
    assert page.count("Nattlig omräkning") >= 20


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/schemalagda-jobb/")
    return len(captured)


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_only_administrators_see_the_jobs_page(cast, persona):
    schedule()

    hidden = signed_in(getattr(cast, persona)).get("/schemalagda-jobb/")
    shown = signed_in(cast.administrator).get("/schemalagda-jobb/")

    assert hidden.status_code == 404
    assert shown.status_code == 200
    assert "Gallring" in shown.content.decode()


def test_the_demo_needs_no_worker(cast):
    # Nothing in an ordinary request enqueues a job: the queue stays empty.
    signed_in(cast.case_worker).get(f"/arenden/{cast.case.pk}/")
    assert DBTaskResult.objects.count() == 0


def test_the_administrator_runs_a_failed_job_again_and_it_is_audited(cast, monkeypatch):
    monkeypatch.setitem(tasks.JOBS, "reminders", tasks.Job("reminders", "Påminnelser", failing))
    schedule("--job", "reminders")
    run_worker()
    monkeypatch.setitem(
        tasks.JOBS, "reminders", tasks.Job("reminders", "Påminnelser", lambda day: {"fixed": 1})
    )
    client = signed_in(cast.administrator)
    today = timezone.localdate().isoformat()

    response = client.post("/schemalagda-jobb/", {"job": "reminders", "day": today})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.CREATE, path="/schemalagda-jobb/")
    assert event.detail == {"job": "reminders", "day": today}
    assert event.user_id == cast.administrator.pk
    run_worker()
    assert runs.job_results().filter(status="SUCCESSFUL").count() == 1
    page = client.get("/schemalagda-jobb/").content.decode()
    assert "fixed: 1" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"job": "", "day": "2026-11-29"}, "Välj vilket jobb som ska köras."),
        ({"job": "drop_tables", "day": "2026-11-29"}, "Välj ett jobb i listan."),
        ({"job": "gallring", "day": ""}, "Ange dagen jobbet avser."),
        ({"job": "gallring", "day": "2040-01-01"}, "Ett jobb kan inte köras för en dag som inte"),
        ({"job": "gallring", "day": "0001-01-01"}, "Välj en dag under den senaste månaden."),
        ({"job": "gallring", "day": "2026-13-45"}, "Ange dagen som ÅÅÅÅ-MM-DD."),
    ],
)
def test_a_job_for_a_future_or_unknown_day_is_refused_at_the_field(cast, data, error):
    # Gallring "as on" a future day would remove cases before the law allows.
    response = signed_in(cast.administrator).post("/schemalagda-jobb/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Kör ett jobb igen" in response.content.decode()
    assert runs.job_results().count() == 0


def test_nobody_but_an_administrator_can_run_a_job(cast):
    today = timezone.localdate().isoformat()
    refused = signed_in(cast.unit_manager).post(
        "/schemalagda-jobb/", {"job": "gallring", "day": today}
    )
    accepted = signed_in(cast.administrator).post(
        "/schemalagda-jobb/", {"job": "gallring", "day": today}
    )

    assert refused.status_code == 404
    assert accepted.status_code == 302
    assert runs.job_results().count() == 1


def test_a_job_whose_worker_stopped_mid_run_shows_as_stalled(cast):
    schedule("--job", "reminders", "--job", "gallring")
    long_ago = timezone.now() - datetime.timedelta(hours=7)
    stalled, running = runs.job_results().order_by("args_kwargs__args__0")
    DBTaskResult.objects.filter(pk=stalled.pk).update(status="RUNNING", started_at=long_ago)
    DBTaskResult.objects.filter(pk=running.pk).update(status="RUNNING", started_at=timezone.now())

    page = signed_in(cast.administrator).get("/schemalagda-jobb/").content.decode()

    assert page.count("Har stannat? Körs sedan länge") == 1
    assert ">Körs<" in page  # the one that just started
