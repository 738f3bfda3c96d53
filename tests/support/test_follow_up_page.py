"""Holding a follow-up on one page: contact, notes and the re-assessment, saved together."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.support.models import Assessment, AssessmentRound, FollowUp
from tests.conftest import signed_in
from tests.support.conftest import assess, follow_up, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def page_of(case, item):
    return reverse("support:follow_up_edit", args=[case.pk, item.pk])


def held(item, **extra):
    """A follow-up form as the browser posts it: held today, with contact."""
    return {
        "held_on": today().isoformat(),
        "contact_made": "ja",
        "participants": "Personen och socialsekreteraren",
        "note": "Boendet fungerar.",
        "version": item.version,
        **extra,
    }


def test_the_follow_up_page_names_the_person_the_case_and_the_planned_date(cast):
    item = follow_up(cast.case, today() - 3 * DAY, months=6)
    response = signed_in(cast.case_worker).get(page_of(cast.case, item))
    assert response.status_code == 200
    assert f"{cast.case.person.full_name} · {cast.case}" in response.text
    assert "Håll uppföljning" in response.text
    assert (today() - 3 * DAY).isoformat() in response.text
    assert "6 månader" in response.text
    assert reverse("case_detail", args=[cast.case.pk]) in response.text  # the way back


def test_the_reassessment_is_prefilled_with_the_last_levels(cast):
    assess(cast.case, today() - 100 * DAY, housing=1)
    assess(cast.case, today() - 40 * DAY, housing=2, occupation=3)
    item = follow_up(cast.case, today(), months=1)
    response = signed_in(cast.case_worker).get(page_of(cast.case, item))
    form = response.context["area_forms"]
    initial = {f.area.value: f.initial.get("worker_level") for f in form}
    assert initial["housing"] == 2 and initial["occupation"] == 3
    assert initial["social"] is None  # never assessed: left empty
    assert 'name="housing-worker_level" value="2" required' not in response.text
    assert 'value="2" id="id_housing-worker_level_1" checked' in response.text


def test_one_save_records_the_follow_up_and_a_reassessment_of_every_prefilled_area(cast):
    assess(cast.case, today() - 40 * DAY, housing=2, occupation=3, social=2)
    item = follow_up(cast.case, today() - DAY, months=1)
    response = signed_in(cast.case_worker).post(
        page_of(cast.case, item),
        held(
            item,
            **{
                "housing-worker_level": "4",  # changed
                "occupation-worker_level": "3",  # as before
                "social-worker_level": "2",
                "social-person_level": "3",
            },
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.held_on == today() and item.contact_made is True
    assert item.assessment_round is not None
    rows = {a.area: a.worker_level for a in Assessment.objects.filter(round=item.assessment_round)}
    assert rows == {"housing": 4, "occupation": 3, "social": 2}
    assert item.assessment_round.assessed_on == today()


def test_without_contact_the_follow_up_is_saved_and_no_reassessment(cast):
    assess(cast.case, today() - 40 * DAY, housing=2)
    item = follow_up(cast.case, today() - DAY, months=1)
    response = signed_in(cast.case_worker).post(
        page_of(cast.case, item),
        held(
            item, contact_made="nej", note="Svarar inte i telefon.", **{"housing-worker_level": "2"}
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.held_on == today() and item.contact_made is False
    assert item.assessment_round is None
    assert AssessmentRound.objects.filter(case=cast.case).count() == 1


def test_a_held_follow_up_must_say_whether_contact_was_made(cast):
    item = follow_up(cast.case, today() - DAY, months=1)
    data = held(item)
    del data["contact_made"]
    response = signed_in(cast.case_worker).post(page_of(cast.case, item), data)
    assert response.status_code == 200
    assert "Ange om ni fick kontakt med personen." in response.text
    item.refresh_from_db()
    assert item.held_on is None


def test_errors_in_the_follow_up_and_an_area_are_listed_in_one_summary(cast):
    item = follow_up(cast.case, today() - DAY, months=1)
    data = held(item, held_on="", **{"housing-description": "Trångt boende"})
    response = signed_in(cast.case_worker).post(page_of(cast.case, item), data)
    assert response.status_code == 200
    assert response.text.count('class="error-summary"') == 1
    assert "Ange när uppföljningen hölls." in response.text
    assert "Boende – Nivå enligt socialsekreteraren" in response.text
    assert not AssessmentRound.objects.exists()


def test_a_conflicting_save_keeps_neither_the_follow_up_nor_the_reassessment(cast):
    assess(cast.case, today() - 40 * DAY, housing=2)
    item = follow_up(cast.case, today() - DAY, months=1)
    stale = item.version
    FollowUp.objects.filter(pk=item.pk).update(version=stale + 1, note="Någon annans")
    response = signed_in(cast.case_worker).post(
        page_of(cast.case, item), held(item, version=stale, **{"housing-worker_level": "4"})
    )
    assert response.status_code == 409
    assert "Någon annans" in response.text
    assert AssessmentRound.objects.filter(case=cast.case).count() == 1


def test_the_children_area_is_asked_only_when_children_came_along(cast):
    item = follow_up(cast.case, today(), months=1)
    client = signed_in(cast.case_worker)
    without = client.get(page_of(cast.case, item))
    assert "<legend>Boende</legend>" in without.text
    assert "<legend>Barn</legend>" not in without.text
    cast.case.person.accompanying_children = 2
    cast.case.person.save(update_fields=["accompanying_children"])
    with_children = client.get(page_of(cast.case, item))
    assert "<legend>Barn</legend>" in with_children.text


def test_the_to_do_list_links_straight_to_holding_the_follow_up(cast):
    item = follow_up(cast.case, today() - 2 * DAY, months=1)
    response = signed_in(cast.case_worker).get(reverse("start"))
    assert "Uppföljningar att hålla" in response.text
    assert f'href="{page_of(cast.case, item)}"' in response.text
    assert "Håll uppföljning" in response.text


def test_drop_downs_say_choose_instead_of_dashes(cast):
    response = signed_in(cast.case_worker).get(reverse("support:task_new", args=[cast.case.pk]))
    assert '<option value="" selected>Välj …</option>' in response.text
    assert "Välj roll …" in response.text
    assert "---------" not in response.text
