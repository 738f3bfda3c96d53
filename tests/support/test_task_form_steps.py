"""The task form asks one thing at a time and forgives a mistaken "Klar" (issue 12)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.support.models import ActorKind, Task
from tests.conftest import signed_in
from tests.support.conftest import task

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def new_task(cast, **overrides):
    data = {
        "template": "",
        "area": "housing",
        "title": "Ställa sig i bostadskön",
        "actor_kind": "staff",
        "actor_user": str(cast.case_worker.pk),
        "due_on": (timezone.localdate() + 7 * DAY).isoformat(),
    }
    data.update(overrides)
    return signed_in(cast.case_worker).post(reverse("support:task_new", args=[cast.case.pk]), data)


def test_each_owner_field_says_which_kind_of_owner_it_belongs_to(cast):
    html = signed_in(cast.case_worker).get(reverse("support:task_new", args=[cast.case.pk])).text
    assert re.search(r'<select name="actor_user"[^>]*data-actor-kind="staff"', html)
    assert html.count('data-actor-kind="role"') == 2
    assert 'data-actor-kind="organisation"' in html
    assert "Ja, datumet har redan passerat" not in html  # asked only after a past date


def test_a_due_date_in_the_past_asks_for_confirmation_before_saving(cast):
    yesterday = (timezone.localdate() - DAY).isoformat()
    response = new_task(cast, due_on=yesterday)
    assert response.status_code == 200
    assert "Datumet har redan passerat." in response.text
    assert "Ja, datumet har redan passerat och ska stå kvar" in response.text
    assert not Task.objects.exists()

    confirmed = new_task(cast, due_on=yesterday, past_due_confirmed="on")
    assert confirmed.status_code == 302
    assert Task.objects.get().due_on.isoformat() == yesterday


def test_a_future_due_date_saves_at_once(cast):
    assert new_task(cast).status_code == 302
    assert Task.objects.get().title == "Ställa sig i bostadskön"


def test_the_worker_can_undo_a_mistaken_klar_from_the_case_page(cast):
    mine = task(cast.case, "housing", actor_kind=ActorKind.STAFF, actor_user=cast.case_worker)
    client = signed_in(cast.case_worker)
    done_url = reverse("support:task_done", args=[cast.case.pk, mine.pk])
    response = client.post(done_url, {"klar": "1", "version": mine.version}, follow=True)
    assert "Blev det fel? Ångra under Klara uppgifter." in response.text
    assert f'aria-label="Ångra klar: {mine.title}"' in response.text
    mine.refresh_from_db()
    assert mine.is_done

    client.post(done_url, {"klar": "0", "version": mine.version})
    mine.refresh_from_db()
    assert not mine.is_done


def test_housing_support_may_take_back_their_own_klar_within_a_day_but_not_later(cast):
    mine = task(cast.case, "housing", actor_kind=ActorKind.STAFF, actor_user=cast.housing_support)
    client = signed_in(cast.housing_support)
    done_url = reverse("support:task_done", args=[cast.case.pk, mine.pk])
    client.post(done_url, {"klar": "1", "version": mine.version, "note": ""})
    page = client.get(reverse("case_detail", args=[cast.case.pk])).text
    assert "Nyss klarmarkerade" in page and f"Ångra klar: {mine.title}" in page
    mine.refresh_from_db()
    assert client.post(done_url, {"klar": "0", "version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert not mine.is_done

    client.post(done_url, {"klar": "1", "version": mine.version, "note": ""})
    mine.refresh_from_db()
    Task.objects.filter(pk=mine.pk).update(done_at=timezone.now() - 2 * DAY)
    page = client.get(reverse("case_detail", args=[cast.case.pk])).text
    assert "Dina uppgifter" in page and "Nyss klarmarkerade" not in page
    assert client.post(done_url, {"klar": "0", "version": mine.version}).status_code == 404
    mine.refresh_from_db()
    assert mine.is_done
