"""Early-warning signals on the pages: the start page by severity, the case page, and the
manager's overview counting them per worker; a severe one reaches the whole case team."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.cases.models import OutcomeEvent
from brygga.support.models import EarlyWarningSettings, FollowUp
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.support.conftest import today
from tests.support.test_todo import _count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
VIOLENCE = "Nytt våld eller hot registrerat"
MISSED = "Uppföljningen planerad"


def warn(case):
    """A severe signal (new violence) and a warning (a missed follow-up) on the case."""
    OutcomeEvent.objects.create(case=case, kind="new_violence", occurred_on=today() - 2 * DAY)
    FollowUp.objects.create(case=case, planned_on=today() - 20 * DAY)


def test_the_start_page_lists_the_signals_most_severe_first_with_why(cast):
    warn(cast.case)
    text = signed_in(cast.case_worker).get(reverse("start")).text
    assert "Tidiga varningar" in text
    assert cast.case.person.full_name in text
    assert VIOLENCE in text and MISSED in text
    assert text.index(VIOLENCE) < text.index(MISSED)


def test_a_severe_signal_reaches_the_whole_case_team_and_the_unit_manager(cast):
    warn(cast.case)
    for user in (cast.housing_support, cast.unit_manager):
        text = signed_in(user).get(reverse("start")).text
        assert VIOLENCE in text, user


def test_the_manager_off_the_team_sees_the_severe_signals_only(cast):
    warn(cast.case)
    text = signed_in(cast.unit_manager).get(reverse("start")).text
    assert VIOLENCE in text
    assert MISSED not in text


def test_another_district_sees_no_signal_of_the_case(cast):
    warn(cast.case)
    text = signed_in(cast.other_district_manager).get(reverse("start")).text
    assert "Mina ärenden" in text
    assert VIOLENCE not in text


def test_the_case_page_shows_the_case_signals(cast):
    warn(cast.case)
    text = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk])).text
    assert VIOLENCE in text and MISSED in text


def test_no_contact_follows_the_municipality_setting(cast):
    municipality = cast.sodermalm.administration.municipality
    type(cast.case).objects.filter(pk=cast.case.pk).update(opened_on=today() - 10 * DAY)
    client = signed_in(cast.case_worker)
    assert "Ingen kontakt registrerad" not in client.get(reverse("start")).text
    EarlyWarningSettings.objects.create(municipality=municipality, no_contact_days=7)
    assert "Ingen kontakt registrerad" in client.get(reverse("start")).text


def test_the_overview_counts_signals_per_responsible_worker(cast):
    warn(cast.case)
    response = signed_in(cast.unit_manager).get(reverse("support:overview"))
    [overview] = response.context["overviews"]
    assert overview.signals_by_worker == [(cast.case_worker.get_full_name(), 1, 2)]
    assert "Tidiga varningar per ansvarig socialsekreterare" in response.text


def test_the_start_page_runs_a_constant_number_of_queries_with_more_signals(cast):
    client = signed_in(cast.case_worker)
    warn(cast.case)
    small = _count(client, reverse("start"))
    for _ in range(5):
        warn(case_with_team(cast.sodermalm, cast.case_worker))
    assert _count(client, reverse("start")) == small


def test_the_overview_runs_a_constant_number_of_queries_with_more_signals(cast):
    client = signed_in(cast.unit_manager)
    warn(cast.case)
    small = _count(client, reverse("support:overview"))
    for _ in range(5):
        warn(case_with_team(cast.sodermalm, cast.colleague))
    assert _count(client, reverse("support:overview")) == small
