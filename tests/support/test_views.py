"""The support pages, per persona: the case's worker and the unit manager may, others get 404."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.cases.models import Case
from brygga.support.models import (
    ActorKind,
    Assessment,
    AssessmentRound,
    FollowUp,
    Intervention,
    InterventionStatus,
    Task,
)
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import assess, catalogue, follow_up, intervention, task, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def url(name, case, *args):
    return reverse(f"support:{name}", args=[case.pk, *args])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("case_worker", 200),
        ("unit_manager", 200),
        ("colleague", 404),
        ("other_district_worker", 404),
        ("other_district_manager", 404),
        ("housing_support", 404),
        ("administrator", 404),
    ],
)
def test_the_assessment_form_is_for_the_cases_worker_and_manager_only(cast, persona, status):
    response = signed_in(getattr(cast, persona)).get(url("assessment_new", cast.case))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("case_worker", 200),
        ("unit_manager", 200),
        ("colleague", 404),
        ("other_district_worker", 404),
        ("administrator", 404),
    ],
)
def test_the_support_panel_shows_on_the_case_page_for_those_who_may_see_it(cast, persona, status):
    assess(cast.case, today(), housing=2)
    response = signed_in(getattr(cast, persona)).get(reverse("case_detail", args=[cast.case.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Stöd och plan" in response.text
        assert "Ansvarsglapp" in response.text


def test_the_case_page_shows_core_needs_never_assessed_as_gaps_from_the_opening(cast):
    assess(cast.case, today(), occupation=4)
    response = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert "<strong>Boende</strong> – inte bedömt" in response.text
    assert "<strong>Socialt stöd</strong> – inte bedömt" in response.text
    assert "<strong>Sysselsättning</strong> –" not in response.text  # assessed, managing


def test_housing_support_sees_her_part_not_the_whole_plan(cast):
    assess(cast.case, today(), housing=2)
    response = signed_in(cast.housing_support).get(reverse("case_detail", args=[cast.case.pk]))
    assert response.status_code == 200
    assert "Ditt uppdrag i ärendet" in response.text
    assert "Stöd och plan" not in response.text


def test_the_assessment_form_shows_the_scale(cast):
    response = signed_in(cast.case_worker).get(url("assessment_new", cast.case))
    assert "Akut behov" in response.text
    assert "Klarar sig självständigt" in response.text


def test_a_worker_records_an_assessment_round_with_one_row_per_area(cast):
    response = signed_in(cast.case_worker).post(
        url("assessment_new", cast.case),
        {
            "assessed_on": today().isoformat(),
            "housing-worker_level": "2",
            "housing-person_level": "3",
            "housing-person_goal": "Ett eget kontrakt",
            "occupation-worker_level": "4",
        },
    )
    assert response.status_code == 302
    rows = Assessment.objects.filter(case=cast.case).order_by("area")
    assert [(r.area, r.worker_level, r.person_level) for r in rows] == [
        ("housing", 2, 3),
        ("occupation", 4, None),
    ]
    assert AuditEvent.objects.filter(
        object_type="support.AssessmentRound", person_id=cast.case.person_id
    ).exists()


def test_an_assessment_without_any_area_is_refused_in_swedish_and_nothing_is_saved(cast):
    response = signed_in(cast.case_worker).post(
        url("assessment_new", cast.case), {"assessed_on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "Bedöm minst ett behovsområde." in response.text
    assert not AssessmentRound.objects.exists()


def test_a_goal_without_a_worker_level_is_refused_and_nothing_is_saved(cast):
    response = signed_in(cast.case_worker).post(
        url("assessment_new", cast.case),
        {
            "assessed_on": today().isoformat(),
            "housing-worker_level": "2",
            "social-person_goal": "Träffa vänner",
            "economy-worker_level": "9",
        },
    )
    assert "Välj socialsekreterarens nivå för området." in response.text
    assert "Välj en nivå från 1 till 5." in response.text
    assert not AssessmentRound.objects.exists()


def test_an_assessment_in_the_future_is_refused(cast):
    response = signed_in(cast.case_worker).post(
        url("assessment_new", cast.case),
        {"assessed_on": (today() + DAY).isoformat(), "housing-worker_level": "2"},
    )
    assert "En bedömning kan inte göras i framtiden." in response.text
    assert not AssessmentRound.objects.exists()


def intervention_data(**overrides):
    data = {
        "type": catalogue("Kontaktperson").pk,
        "provider": "Kontaktpersonsenheten",
        "status": "granted",
        "actor_kind": "role",
        "actor_role": "contact_coordinator",
        "period_start": today().isoformat(),
    }
    data.update(overrides)
    return data


def test_a_granted_intervention_gets_the_types_long_default_period(cast):
    data = intervention_data()
    data["actor_unit"] = cast.sodermalm.pk
    response = signed_in(cast.case_worker).post(url("intervention_new", cast.case), data)
    assert response.status_code == 302
    saved = Intervention.objects.get(case=cast.case)
    assert saved.status == InterventionStatus.GRANTED
    assert saved.actor_display.startswith("Kontaktpersonsamordnare")
    assert saved.decision_maker == cast.case_worker
    assert saved.period_end.year == today().year + 1
    assert saved.area == "social"


def test_a_short_period_needs_a_reason(cast):
    data = intervention_data(
        period_end=(today() + 60 * DAY).isoformat(),
        actor_kind="organisation",
        actor_organisation="Kontaktpersonsenheten",
    )
    client = signed_in(cast.case_worker)
    response = client.post(url("intervention_new", cast.case), data)
    assert "Skriv varför en kortare period behövs." in response.text
    assert not Intervention.objects.exists()
    data["short_period_reason"] = "Personen flyttar till annan kommun i sommar."
    assert client.post(url("intervention_new", cast.case), data).status_code == 302
    assert Intervention.objects.get().short_period_reason


def test_an_intervention_needs_a_responsible_actor_of_the_chosen_kind(cast):
    response = signed_in(cast.case_worker).post(
        url("intervention_new", cast.case), intervention_data(actor_kind="staff")
    )
    assert "Välj medarbetare." in response.text
    assert not Intervention.objects.exists()


def test_a_decision_outside_the_delegation_goes_to_the_manager_who_grants_it(cast):
    data = intervention_data(
        type=catalogue("Jourlägenhet").pk,
        actor_kind="staff",
        actor_user=cast.case_worker.pk,
    )
    response = signed_in(cast.case_worker).post(url("intervention_new", cast.case), data)
    assert response.status_code == 302
    pending = Intervention.objects.get()
    assert pending.status == InterventionStatus.AWAITING_MANAGER
    assert pending.requested_status == InterventionStatus.GRANTED
    assert pending.decision_maker is None
    decide = url("intervention_decide", cast.case, pending.pk)
    assert signed_in(cast.case_worker).get(decide).status_code == 404
    manager = signed_in(cast.unit_manager)
    assert manager.get(decide).status_code == 200
    response = manager.post(
        decide,
        {
            "version": pending.version,
            "decision": "approve",
            "decision_on": today().isoformat(),
            "legal_ground": "4 kap. 1 § SoL",
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == InterventionStatus.GRANTED
    assert pending.decision_maker == cast.unit_manager


def test_the_manager_may_refuse_a_decision_outside_the_delegation(cast):
    pending = intervention(
        cast.case, "Jourlägenhet", InterventionStatus.AWAITING_MANAGER, requested_status="granted"
    )
    signed_in(cast.unit_manager).post(
        url("intervention_decide", cast.case, pending.pk),
        {"version": pending.version, "decision": "refuse", "decision_on": today().isoformat()},
    )
    pending.refresh_from_db()
    assert pending.status == InterventionStatus.REFUSED


def test_two_people_editing_the_same_intervention_get_a_conflict_page_showing_both(cast):
    item = intervention(cast.case, "Kontaktperson", InterventionStatus.PLANNED)
    data = intervention_data(
        status="planned",
        actor_kind="organisation",
        actor_organisation="Origo",
        version=item.version,
        provider="Min utförare",
    )
    data.pop("period_start")
    first = signed_in(cast.unit_manager).post(
        url("intervention_edit", cast.case, item.pk), {**data, "provider": "Chefens utförare"}
    )
    assert first.status_code == 302
    second = signed_in(cast.case_worker).post(url("intervention_edit", cast.case, item.pk), data)
    assert second.status_code == 409
    assert "Chefens utförare" in second.text
    assert "Min utförare" in second.text
    item.refresh_from_db()
    assert item.provider == "Chefens utförare"


def test_an_intervention_of_another_case_is_not_found_through_this_case(cast):
    other = case_with_team(cast.sodermalm, cast.colleague)
    item = intervention(other, "Kontaktperson", InterventionStatus.PLANNED)
    response = signed_in(cast.case_worker).get(url("intervention_edit", cast.case, item.pk))
    assert response.status_code == 404


def test_a_task_from_a_template_owned_by_an_external_organisation(cast):
    response = signed_in(cast.case_worker).post(
        url("task_new", cast.case),
        {
            "template": "housing:0",
            "actor_kind": "organisation",
            "actor_organisation": "Bostadsförmedlingen",
            "due_on": (today() + 14 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    saved = Task.objects.get()
    assert (saved.area, saved.title) == ("housing", "Ställa sig i bostadskön")
    assert saved.actor_kind == ActorKind.ORGANISATION


def test_a_free_text_task_needs_an_area_a_title_and_an_owner(cast):
    response = signed_in(cast.case_worker).post(url("task_new", cast.case), {})
    assert "Välj ett behovsområde eller en mall." in response.text
    assert "Skriv uppgiften eller välj en mall." in response.text
    assert "Ange vem som ansvarar" in response.text
    assert not Task.objects.exists()


def test_a_task_is_marked_done_by_whom_and_when_and_can_be_reopened(cast):
    item = task(cast.case, "housing", organisation="Bostadsförmedlingen")
    client = signed_in(cast.case_worker)
    client.post(url("task_done", cast.case, item.pk), {"klar": "1", "version": 1})
    item.refresh_from_db()
    assert item.done_by == cast.case_worker and item.done_at is not None
    client.post(url("task_done", cast.case, item.pk), {"klar": "0", "version": 2})
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_housing_support_cannot_mark_a_task_done(cast):
    item = task(cast.case, "housing", organisation="Bostadsförmedlingen")
    response = signed_in(cast.housing_support).post(
        url("task_done", cast.case, item.pk), {"klar": "1"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_follow_ups_are_planned_from_the_day_the_person_left_protected_housing(cast):
    Case.objects.filter(pk=cast.case.pk).update(
        left_protected_housing_on=datetime.date(2026, 1, 15)
    )
    client = signed_in(cast.case_worker)
    client.post(url("follow_ups_schedule", cast.case))
    planned = list(FollowUp.objects.filter(case=cast.case).order_by("planned_on"))
    assert [f.months for f in planned] == [1, 3, 6, 12, 18, 24]
    assert planned[0].planned_on == datetime.date(2026, 2, 15)
    client.post(url("follow_ups_schedule", cast.case))
    assert FollowUp.objects.filter(case=cast.case).count() == 6


def test_no_follow_ups_are_planned_before_the_person_has_left(cast):
    signed_in(cast.case_worker).post(url("follow_ups_schedule", cast.case))
    assert not FollowUp.objects.exists()


def test_two_people_recording_the_same_follow_up_get_a_conflict_page_showing_both(cast):
    item = follow_up(cast.case, today() - 3 * DAY, months=1)
    edit = url("follow_up_edit", cast.case, item.pk)
    form = {"held_on": today().isoformat(), "contact_made": "nej", "version": item.version}
    first = signed_in(cast.unit_manager).post(edit, {**form, "note": "Chefens anteckning"})
    assert first.status_code == 302
    second = signed_in(cast.case_worker).post(edit, {**form, "note": "Min anteckning"})
    assert second.status_code == 409
    assert "Chefens anteckning" in second.text and "Min anteckning" in second.text
    item.refresh_from_db()
    assert item.note == "Chefens anteckning"


def test_a_task_of_another_case_cannot_be_closed_through_this_case(cast):
    own = task(cast.case, "housing", organisation="Bostadsförmedlingen")
    other_case = case_with_team(cast.sodermalm, cast.case_worker)
    foreign = task(other_case, "housing", organisation="Bostadsförmedlingen")
    client = signed_in(cast.case_worker)
    # The worker may close tasks of both cases, but only each through its own case's URL.
    assert client.post(url("task_done", cast.case, foreign.pk), {"klar": "1"}).status_code == 404
    done = {"klar": "1", "version": own.version}
    assert client.post(url("task_done", cast.case, own.pk), done).status_code == 302
    foreign.refresh_from_db()
    own.refresh_from_db()
    assert own.done_at is not None
    assert foreign.done_at is None


def _add_support_history(case, n):
    for i in range(n):
        assess(case, today() - (i + 1) * 30 * DAY, housing=2, occupation=3, social=4)
        intervention(case, "Kontaktperson", InterventionStatus.GRANTED)
        task(case, "housing", organisation="Bostadsförmedlingen")
        follow_up(case, today() - i * DAY)


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_with_the_support_panel_runs_a_constant_number_of_queries(cast):
    client = signed_in(cast.case_worker)
    path = reverse("case_detail", args=[cast.case.pk])
    _add_support_history(cast.case, 1)
    small = _count(client, path)
    _add_support_history(cast.case, 6)
    assert _count(client, path) == small


def test_the_level_chart_is_an_inline_svg_without_style_attributes(cast):
    assess(cast.case, today() - 90 * DAY, housing=1)
    assess(cast.case, today(), housing=3)
    response = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert '<svg class="level-chart"' in response.text
    assert "<polyline" in response.text
    assert "style=" not in response.text


def test_a_worker_changing_the_period_of_a_managers_decision_sends_it_back_to_the_manager(cast):
    granted = intervention(
        cast.case,
        "Jourlägenhet",
        InterventionStatus.GRANTED,
        period_start=today(),
        period_end=today() + datetime.timedelta(days=365),
        decision_maker=cast.unit_manager,
    )
    data = intervention_data(
        type=granted.type.pk,
        status="granted",
        actor_kind="organisation",
        actor_organisation="Bostadsförmedlingen",
        period_start=today().isoformat(),
        period_end=(today() + datetime.timedelta(days=730)).isoformat(),
        version=granted.version,
    )
    response = signed_in(cast.case_worker).post(
        url("intervention_edit", cast.case, granted.pk), data
    )
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.status == InterventionStatus.AWAITING_MANAGER
    assert granted.requested_status == InterventionStatus.GRANTED
