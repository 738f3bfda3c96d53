"""Stays and tasks carry a version: two people saving the same record get the conflict page,
never a silent overwrite. Sequentially on both databases; at the same instant on PostgreSQL."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import ProtectedHousingStay
from brygga.support.models import Task
from tests.conftest import signed_in

START = datetime.date(2026, 1, 5)


def a_stay(case) -> ProtectedHousingStay:
    return ProtectedHousingStay.objects.create(
        case=case, provider="Boende Linden", started_on=START
    )


def a_task(case) -> Task:
    return Task.objects.create(
        case=case, area="housing", title="Ställ dig i bostadskön", actor_kind="organisation",
        actor_organisation="Bostadsförmedlingen",
    )  # fmt: skip


def stay_edit(client: Client, stay, provider: str, version) -> object:
    return client.post(
        reverse("case_edit_stay", args=[stay.case_id, stay.pk]),
        {"provider": provider, "started_on": START.isoformat(), "ended_on": "", "version": version},
    )


def task_done(client: Client, task, version) -> object:
    return client.post(
        reverse("support:task_done", args=[task.case_id, task.pk]),
        {"klar": "1", "version": version},
    )


def test_the_second_stay_edit_from_the_same_version_gets_the_conflict_page(cast):
    stay = a_stay(cast.case)
    first = stay_edit(signed_in(cast.unit_manager), stay, "Boende Eken", stay.version)
    assert first.status_code == 302
    second = stay_edit(signed_in(cast.case_worker), stay, "Boende Björken", stay.version)
    assert second.status_code == 409
    assert "Någon annan har ändrat vistelsen" in second.text
    assert "Boende Eken" in second.text and "Boende Björken" in second.text
    stay.refresh_from_db()
    assert (stay.provider, stay.version) == ("Boende Eken", 2)


def test_a_stay_edit_without_a_version_is_a_conflict_not_a_save(cast):
    stay = a_stay(cast.case)
    response = stay_edit(signed_in(cast.case_worker), stay, "Boende Eken", "")
    assert response.status_code == 409
    stay.refresh_from_db()
    assert stay.provider == "Boende Linden"


def test_the_second_task_done_from_the_same_version_gets_the_conflict_page(cast):
    task = a_task(cast.case)
    manager, worker = signed_in(cast.unit_manager), signed_in(cast.case_worker)
    assert task_done(manager, task, task.version).status_code == 302
    changes = AuditEvent.objects.exclude(action=Action.VIEW)
    events = changes.count()
    second = task_done(worker, task, task.version)
    assert second.status_code == 409
    assert "Någon annan har ändrat uppgiften" in second.text
    task.refresh_from_db()
    assert (task.done_by, task.version) == (cast.unit_manager, 2)
    # The conflict page names the person (so its reading is logged); nothing logged as a change.
    assert AuditEvent.objects.filter(action=Action.VIEW).exists()
    assert changes.count() == events


@pytest.mark.parametrize("version", ["", "x", "-1", "99999999999999999999"])
def test_a_missing_or_forged_task_version_is_a_conflict(cast, version):
    task = a_task(cast.case)
    assert task_done(signed_in(cast.case_worker), task, version).status_code == 409
    task.refresh_from_db()
    assert task.done_at is None


def _at_the_same_instant(*requests) -> list[int]:
    """Run each request in its own thread (own connection), released together."""
    start = threading.Barrier(len(requests))
    statuses: list[int] = []

    def run(request) -> None:
        try:
            start.wait()
            statuses.append(request().status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.postgres
def test_two_people_saving_the_same_stay_at_once_one_wins_one_gets_the_conflict(real_commits, cast):
    stay = a_stay(cast.case)
    manager, worker = signed_in(cast.unit_manager), signed_in(cast.case_worker)
    statuses = _at_the_same_instant(
        lambda: stay_edit(manager, stay, "Boende Eken", 1),
        lambda: stay_edit(worker, stay, "Boende Björken", 1),
    )
    assert statuses == [302, 409]
    stay.refresh_from_db()
    assert stay.version == 2 and stay.provider in ("Boende Eken", "Boende Björken")


@pytest.mark.postgres
def test_two_people_closing_the_same_task_at_once_one_wins_one_gets_the_conflict(
    real_commits, cast
):
    task = a_task(cast.case)
    manager, worker = signed_in(cast.unit_manager), signed_in(cast.case_worker)
    statuses = _at_the_same_instant(
        lambda: task_done(manager, task, 1), lambda: task_done(worker, task, 1)
    )
    assert statuses == [302, 409]
    task.refresh_from_db()
    assert task.version == 2
