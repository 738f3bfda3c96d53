"""Each actor's own work: "Mitt arbete", the unit queue, waiting for an outside organisation,
and housing support acting in her part — closing her task, writing genomförandeanteckningar,
and refused everything else with 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.access.models import EmergencyAccess
from brygga.support.models import ActorKind, ImplementationNote, Task
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, task, today
from tests.support.test_todo import _count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def for_housing_support(cast, title="Följa med till bostadsvisning", due=5):
    return Task.objects.create(
        case=cast.case,
        area="housing",
        title=title,
        actor_kind=ActorKind.STAFF,
        actor_user=cast.housing_support,
        due_on=today() + due * DAY,
    )


def for_the_role(cast, title="Hjälpa till med räkningarna"):
    return Task.objects.create(
        case=cast.case,
        area="economy",
        title=title,
        actor_kind=ActorKind.ROLE,
        actor_role="housing_support",
        actor_unit=cast.sodermalm,
    )


def url(name, cast, *args):
    return reverse(f"support:{name}", args=[cast.case.pk, *args])


def test_my_work_lists_every_open_task_by_due_date_not_only_the_overdue(cast):
    later = for_housing_support(cast, "Senare uppgift", due=20)
    sooner = for_housing_support(cast, "Tidigare uppgift", due=2)
    text = signed_in(cast.housing_support).get(reverse("start")).text
    assert "Mitt arbete" in text
    assert cast.case.person.full_name in text
    assert text.index(sooner.title) < text.index(later.title)


def test_housing_support_marks_her_task_done_with_a_note(cast):
    mine = for_housing_support(cast)
    client = signed_in(cast.housing_support)
    form = client.get(url("task_done", cast, mine.pk))
    assert form.status_code == 200 and mine.title in form.text
    response = client.post(
        url("task_done", cast, mine.pk), {"note": "Visningen gick bra.", "version": mine.version}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.is_done and mine.done_by == cast.housing_support
    assert mine.done_note == "Visningen gick bra."


def test_the_worker_sees_the_task_done_with_the_note_on_the_case_page(cast):
    mine = for_housing_support(cast)
    signed_in(cast.housing_support).post(
        url("task_done", cast, mine.pk), {"note": "Klart!", "version": mine.version}
    )
    text = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk])).text
    assert "Klara uppgifter" in text and mine.title in text and "Klart!" in text


def test_housing_support_is_refused_everything_else_with_not_found(cast):
    others = task(cast.case, "housing", actor_kind=ActorKind.STAFF, actor_user=cast.case_worker)
    mine = for_housing_support(cast)
    client = signed_in(cast.housing_support)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    assert client.post(url("task_done", cast, others.pk), {"note": "x"}).status_code == 404
    assert client.post(url("task_done", cast, mine.pk), {"klar": "0"}).status_code == 404
    for name in ("task_new", "assessment_new", "goal_new", "intervention_new"):
        assert client.get(url(name, cast)).status_code == 404, name
    for name in ("journal", "case_timeline", "case_risk_assessments", "case_team", "edit_person"):
        assert client.get(reverse(name, args=[cast.case.pk])).status_code == 404, name
    others.refresh_from_db()
    assert not others.is_done


def test_her_part_of_the_case_shows_her_items_and_no_personnummer(cast):
    person = cast.case.person
    person.identity_number = "198511242386"
    person.save()
    assess(cast.case, today(), housing=2)
    mine = for_housing_support(cast)
    text = signed_in(cast.housing_support).get(reverse("case_detail", args=[cast.case.pk])).text
    assert "Ditt uppdrag i ärendet" in text and mine.title in text
    assert "Stort behov av stöd" in text  # what she needs to know about the housing need
    assert "19851124" not in text and "Personnummer" not in text
    assert reverse("journal", args=[cast.case.pk]) not in text


def test_a_role_task_sits_in_the_unit_queue_until_someone_takes_it(cast):
    queued = for_the_role(cast)
    client = signed_in(cast.housing_support)
    start = client.get(reverse("start")).text
    assert "Enhetens kö" in start and "Ta uppgiften" in start
    assert client.post(url("task_take", cast, queued.pk)).status_code == 302
    queued.refresh_from_db()
    assert queued.taken_by == cast.housing_support
    start = client.get(reverse("start")).text
    assert "Enhetens kö" not in start and "Lämna tillbaka" in start
    assert client.post(url("task_hand_back", cast, queued.pk)).status_code == 302
    queued.refresh_from_db()
    assert queued.taken_by is None


def test_someone_without_the_role_cannot_take_from_the_queue(cast):
    queued = for_the_role(cast)
    client = signed_in(cast.case_worker)
    assert "Enhetens kö" not in client.get(reverse("start")).text
    assert client.post(url("task_take", cast, queued.pk)).status_code == 404
    queued.refresh_from_db()
    assert queued.taken_by is None


def test_the_one_who_took_a_queued_task_may_mark_it_done(cast):
    queued = for_the_role(cast)
    client = signed_in(cast.housing_support)
    client.post(url("task_take", cast, queued.pk))
    queued.refresh_from_db()
    done = client.post(
        url("task_done", cast, queued.pk), {"note": "Betalt", "version": queued.version}
    )
    assert done.status_code == 302
    queued.refresh_from_db()
    assert queued.is_done


def test_the_case_team_sees_what_waits_for_an_outside_organisation_and_when_it_is_late(cast):
    task(cast.case, "housing", organisation="Bostadsförmedlingen", due_on=today() - DAY)
    text = signed_in(cast.case_worker).get(reverse("start")).text
    assert "Väntar på andra" in text
    assert "väntar på Bostadsförmedlingen, tillfrågad" in text
    assert "Försenad – påminn" in text
    assert "Väntar på andra" not in signed_in(cast.housing_support).get(reverse("start")).text


def test_housing_support_writes_a_note_the_case_team_reads(cast):
    client = signed_in(cast.housing_support)
    response = client.post(
        url("implementation_note_new", cast),
        {"area": "housing", "written_on": today().isoformat(), "text": "Vi packade flyttlådor."},
    )
    assert response.status_code == 302
    text = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk])).text
    assert "Genomförandeanteckningar" in text and "Vi packade flyttlådor." in text


def test_a_note_without_text_gets_a_swedish_message_and_nothing_is_saved(cast):
    response = signed_in(cast.housing_support).post(
        url("implementation_note_new", cast), {"area": "housing", "written_on": "", "text": " "}
    )
    assert response.status_code == 200
    assert "Skriv anteckningen." in response.text
    assert not ImplementationNote.objects.exists()


def test_an_emergency_reader_writes_no_implementation_note(cast):
    EmergencyAccess.objects.create(
        user=cast.other_district_worker, case=cast.case, reason="Akut hot, ansvarig är sjuk idag"
    )
    client = signed_in(cast.other_district_worker)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(url("implementation_note_new", cast)).status_code == 404


def test_the_start_page_runs_a_constant_number_of_queries_with_more_tasks(cast):
    client = signed_in(cast.housing_support)
    for_housing_support(cast)
    for_the_role(cast)
    small = _count(client, reverse("start"))
    for n in range(5):
        case = case_with_team(cast.sodermalm, cast.case_worker)
        case.team_members.create(user=cast.housing_support, role="housing_support")
        Task.objects.create(
            case=case,
            area="housing",
            title=f"Uppgift {n}",
            actor_kind="staff",
            actor_user=cast.housing_support,
        )
        Task.objects.create(
            case=case,
            area="economy",
            title=f"Kö {n}",
            actor_kind="role",
            actor_role="housing_support",
            actor_unit=cast.sodermalm,
        )
    assert _count(client, reverse("start")) == small
