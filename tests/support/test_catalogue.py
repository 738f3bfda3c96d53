"""The intervention catalogue: administrators edit it and see no case content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.cases.timeline import case_timeline
from brygga.support.models import InterventionStatus, InterventionType
from tests.conftest import signed_in
from tests.support.conftest import assess, follow_up, intervention, today

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_seeded_with_the_reports_interventions(db):
    names = set(InterventionType.objects.values_list("name", flat=True))
    assert {"Jourlägenhet", "Genomgångsbostad (SHIS)", "Kontaktperson", "Studier / SFI"} <= names
    assert len(names) >= 12


@pytest.mark.parametrize(
    ("persona", "status"),
    [("administrator", 200), ("case_worker", 404), ("unit_manager", 404)],
)
def test_only_administrators_open_the_catalogue(cast, persona, status):
    assert signed_in(getattr(cast, persona)).get(reverse("support:catalogue")).status_code == status


def test_an_administrator_adds_an_intervention_type(cast):
    response = signed_in(cast.administrator).post(
        reverse("support:catalogue_new"),
        {
            "name": "Träningslägenhet",
            "area": "housing",
            "is_decision": "on",
            "default_period_months": "12",
            "minimum_period_months": "6",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert InterventionType.objects.get(name="Träningslägenhet").default_period_months == 12


def test_a_minimum_longer_than_the_default_period_is_refused(cast):
    kind = InterventionType.objects.get(name="Kontaktperson")
    response = signed_in(cast.administrator).post(
        reverse("support:catalogue_edit", args=[kind.pk]),
        {
            "name": "Kontaktperson",
            "area": "social",
            "default_period_months": "6",
            "minimum_period_months": "12",
        },
    )
    assert "Den kortaste perioden kan inte vara längre än den normala." in response.text
    kind.refresh_from_db()
    assert kind.default_period_months == 12


def test_the_catalogue_shows_no_case_content(cast):
    intervention(cast.case, "Kontaktperson", InterventionStatus.GRANTED)
    response = signed_in(cast.administrator).get(reverse("support:catalogue"))
    assert cast.case.person.full_name not in response.text


def test_the_timeline_gets_assessments_decisions_and_held_follow_ups(cast):
    assess(cast.case, today(), housing=2)
    intervention(cast.case, "Kontaktperson", InterventionStatus.GRANTED, decision_on=today())
    follow_up(cast.case, today(), months=1, held_on=today())
    kinds = {entry.kind for entry in case_timeline(cast.case)}
    assert {"assessment", "decision", "follow_up"} <= kinds
