"""The manager's decision page says what is decided, for whom, and why; granting needs a basis."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from brygga.support.models import InterventionStatus
from tests.conftest import signed_in
from tests.support.conftest import intervention, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def pending(cast, **kwargs):
    return intervention(
        cast.case,
        "Jourlägenhet",
        InterventionStatus.AWAITING_MANAGER,
        requested_status="granted",
        reasons="Hyresvärden har sagt upp kontraktet; behöver bo tryggt under sökandet.",
        **kwargs,
    )


def decide_url(cast, item):
    return reverse("support:intervention_decide", args=[cast.case.pk, item.pk])


def test_the_decision_page_shows_the_person_case_intervention_and_the_workers_reasons(cast):
    item = pending(cast)
    response = signed_in(cast.unit_manager).get(decide_url(cast, item))
    assert response.status_code == 200
    assert f"{cast.case.person.full_name} · {cast.case}" in response.text
    assert "Beslut om Jourlägenhet" in response.text
    assert "Hyresvärden har sagt upp kontraktet" in response.text
    assert reverse("case_detail", args=[cast.case.pk]) in response.text


def test_granting_without_a_legal_ground_is_refused_with_a_message_at_the_field(cast):
    item = pending(cast)
    response = signed_in(cast.unit_manager).post(
        decide_url(cast, item),
        {"version": item.version, "decision": "approve", "decision_on": today().isoformat()},
    )
    assert response.status_code == 200
    assert "Ange lagrummet för att bevilja." in response.text
    item.refresh_from_db()
    assert item.status == InterventionStatus.AWAITING_MANAGER


def test_granting_needs_a_decision_date_not_in_the_future(cast):
    item = pending(cast)
    client = signed_in(cast.unit_manager)
    data = {"version": item.version, "decision": "approve", "legal_ground": "4 kap. 1 § SoL"}
    assert "Ange ett datum." in client.post(decide_url(cast, item), data).text
    future = {**data, "decision_on": (today() + DAY).isoformat()}
    assert (
        "Ett beslut kan inte fattas i framtiden."
        in client.post(decide_url(cast, item), future).text
    )
    item.refresh_from_db()
    assert item.status == InterventionStatus.AWAITING_MANAGER


def test_a_grant_records_the_date_and_legal_ground_the_manager_gave(cast):
    item = pending(cast)
    on = today() - 2 * DAY
    response = signed_in(cast.unit_manager).post(
        decide_url(cast, item),
        {
            "version": item.version,
            "decision": "approve",
            "decision_on": on.isoformat(),
            "legal_ground": "4 kap. 1 § SoL",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == InterventionStatus.GRANTED
    assert item.decision_on == on and item.legal_ground == "4 kap. 1 § SoL"
    assert item.decision_maker == cast.unit_manager


def test_the_worker_writes_reasons_on_the_intervention_form(cast):
    response = signed_in(cast.case_worker).get(
        reverse("support:intervention_new", args=[cast.case.pk])
    )
    assert "Motivering" in response.text
    assert f"{cast.case.person.full_name} · {cast.case}" in response.text
