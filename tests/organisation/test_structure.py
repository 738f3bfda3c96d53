"""Administrators keep districts, units and teams; nothing is deleted, inactive is not offered."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.organisation.accounts_forms import MembershipForm
from brygga.organisation.models import Administration, Membership, Role, Team, Unit
from brygga.support.forms import InterventionForm
from tests.conftest import signed_in
from tests.factories import UnitFactory, case_with_team, staff_member

pytestmark = pytest.mark.django_db

NOT_ADMINISTRATORS = ["case_worker", "unit_manager", "housing_support", "other_district_manager"]


def _urls(cast) -> list[str]:
    team = Team.objects.create(unit=cast.sodermalm, name="Team Vuxna")
    district = cast.sodermalm.administration
    return [
        reverse("organisation:structure"),
        reverse("organisation:administration_new"),
        reverse("organisation:administration_edit", args=[district.pk]),
        reverse("organisation:unit_new"),
        reverse("organisation:unit_edit", args=[cast.sodermalm.pk]),
        reverse("organisation:team_edit", args=[team.pk]),
    ]


def test_the_administrator_sees_every_district_with_its_units_open_cases_and_staff(cast):
    page = signed_in(cast.administrator).get(reverse("organisation:structure"))
    html = page.content.decode()
    assert page.status_code == 200
    assert cast.sodermalm.administration.name in html
    assert cast.rinkeby.name in html
    assert "Öppna ärenden" in html


@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_nobody_but_the_administrator_finds_the_organisation_pages(cast, persona):
    client = signed_in(getattr(cast, persona))
    admin = signed_in(cast.administrator)
    for url in _urls(cast):
        assert admin.get(url).status_code == 200  # the page exists …
        assert client.get(url).status_code == 404  # … and is not found by anyone else
        assert client.post(url, {"name": "Inbrytning", "active": "0"}).status_code == 404
    assert not Unit.objects.filter(name="Inbrytning").exists()
    assert Unit.objects.get(pk=cast.sodermalm.pk).active


def test_the_administrator_creates_a_financial_aid_unit_and_the_creation_is_audited(cast):
    district = cast.sodermalm.administration
    response = signed_in(cast.administrator).post(
        reverse("organisation:unit_new"),
        {
            "administration": district.pk,
            "name": "Ekonomiskt bistånd  Södermalm",
            "kind": "financial_aid",
        },
    )
    unit = Unit.objects.get(name="Ekonomiskt bistånd Södermalm")  # spaces tidied
    assert response.status_code == 302
    assert unit.kind == Unit.Kind.FINANCIAL_AID and unit.active
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="organisation.Unit")
    assert event.user_id == cast.administrator.pk
    assert event.object_id == str(unit.pk)


def test_a_unit_name_already_in_the_district_is_refused_next_to_the_field_and_nothing_saved(cast):
    before = Unit.objects.count()
    response = signed_in(cast.administrator).post(
        reverse("organisation:unit_new"),
        {
            "administration": cast.sodermalm.administration_id,
            "name": cast.sodermalm.name.upper(),
            "kind": "violence_team",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "field__error" in html and "Namnet finns redan" in html
    assert Unit.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="organisation.Unit").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "other"}, "Ange ett namn."),
        ({"name": "x" * 151, "kind": "other"}, "högst 150 tecken"),
        ({"name": "Ny enhet", "kind": "ingen-typ"}, "Välj ett av alternativen"),
        (
            {"name": "Ny enhet", "kind": "other", "administration": "9" * 30},
            "Välj en aktiv förvaltning",
        ),
    ],
)
def test_bad_unit_input_gets_a_swedish_error_and_saves_nothing(cast, data, message):
    data = {"administration": cast.sodermalm.administration_id, **data}
    before = Unit.objects.count()
    response = signed_in(cast.administrator).post(reverse("organisation:unit_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.count() == before


def test_a_unit_with_cases_and_staff_is_deactivated_and_keeps_them(cast):
    client = signed_in(cast.administrator)
    response = client.post(
        reverse("organisation:unit_set_active", args=[cast.sodermalm.pk]), {"active": "0"}
    )
    unit = Unit.objects.get(pk=cast.sodermalm.pk)
    assert response.status_code == 302
    assert unit.active is False
    assert unit.cases.filter(pk=cast.case.pk).exists()
    assert Membership.objects.filter(unit=unit, user=cast.case_worker).exists()
    assert AuditEvent.objects.filter(
        object_type="organisation.Unit", object_id=str(unit.pk), detail__active=False
    ).exists()
    page = client.get(reverse("organisation:unit_edit", args=[unit.pk])).content.decode()
    assert "Aktivera enheten" in page


def test_a_malformed_activation_request_is_a_bad_request_and_changes_nothing(cast):
    client = signed_in(cast.administrator)
    for data in ({}, {"active": "kanske"}):
        response = client.post(
            reverse("organisation:unit_set_active", args=[cast.sodermalm.pk]), data
        )
        assert response.status_code == 400
    assert Unit.objects.get(pk=cast.sodermalm.pk).active


def test_nothing_in_the_organisation_can_be_deleted():
    from tests.access.test_matrix import ROUTES

    routes = [(route, name) for route, name in ROUTES if route.startswith("organisation/")]
    assert ("organisation/enheter/<id:unit_id>/aktiv/", "unit_set_active") in routes
    assert not [r for r in routes if "ta-bort" in r[0] or "delete" in r[1] or "remove" in r[1]]


def test_an_inactive_unit_is_not_offered_in_pickers_but_a_current_choice_is_kept(cast):
    financial_aid = UnitFactory(
        administration=cast.sodermalm.administration, name="Ekonomiskt bistånd Södermalm"
    )
    closed = UnitFactory(administration=cast.sodermalm.administration, name="Nedlagd enhet")
    closed.active = False
    closed.save()
    membership_units = set(MembershipForm(user=cast.colleague).fields["unit"].queryset)
    assert financial_aid in membership_units
    assert closed not in membership_units
    new = InterventionForm(case=cast.case)
    assert financial_aid in new.fields["actor_unit"].queryset
    assert closed not in new.fields["actor_unit"].queryset


def test_the_units_of_an_inactive_district_are_not_offered(cast):
    district = cast.rinkeby.administration
    district.active = False
    district.save()
    units = set(MembershipForm(user=cast.colleague).fields["unit"].queryset)
    assert cast.sodermalm in units
    assert cast.rinkeby not in units


def test_the_administrator_adds_a_team_and_a_duplicate_team_name_is_refused(cast):
    client = signed_in(cast.administrator)
    url = reverse("organisation:team_new", args=[cast.sodermalm.pk])
    assert client.post(url, {"team-name": "Team Unga vuxna"}).status_code == 302
    again = client.post(url, {"team-name": "team unga vuxna"})
    assert again.status_code == 400
    assert "Namnet finns redan" in again.content.decode()
    assert Team.objects.filter(unit=cast.sodermalm).count() == 1


def test_a_team_is_renamed_and_deactivated_with_both_changes_audited(cast):
    team = Team.objects.create(unit=cast.sodermalm, name="Team Vuxna")
    client = signed_in(cast.administrator)
    client.post(reverse("organisation:team_edit", args=[team.pk]), {"name": "Team Vuxna 25+"})
    client.post(reverse("organisation:team_set_active", args=[team.pk]), {"active": "0"})
    team.refresh_from_db()
    assert team.name == "Team Vuxna 25+" and team.active is False
    details = list(
        AuditEvent.objects.filter(object_type="organisation.Team").values_list("detail", flat=True)
    )
    assert {"fields": ["name"]} in details and {"active": False} in details


def test_a_district_is_created_renamed_and_deactivated(cast):
    client = signed_in(cast.administrator)
    municipality = cast.sodermalm.administration.municipality_id
    client.post(
        reverse("organisation:administration_new"),
        {
            "municipality": municipality,
            "name": "Norrmalms stadsdelsförvaltning",
            "kind": "district",
        },
    )
    district = Administration.objects.get(name="Norrmalms stadsdelsförvaltning")
    client.post(
        reverse("organisation:administration_edit", args=[district.pk]),
        {"name": "Norrmalm", "kind": "district"},
    )
    client.post(
        reverse("organisation:administration_set_active", args=[district.pk]), {"active": "0"}
    )
    district.refresh_from_db()
    assert district.name == "Norrmalm" and district.active is False
    assert district.municipality_id == municipality
    assert AuditEvent.objects.filter(object_type="organisation.Administration").count() == 3


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["structure", "unit"])
def test_the_organisation_pages_run_the_same_queries_however_large_the_city(cast, page):
    client = signed_in(cast.administrator)
    url = (
        reverse("organisation:structure")
        if page == "structure"
        else reverse("organisation:unit_edit", args=[cast.sodermalm.pk])
    )
    few = _queries(client, url)
    for n in range(4):
        unit = UnitFactory(name=f"Enhet {n}")
        Team.objects.create(unit=unit, name="Team A")
        Team.objects.create(unit=cast.sodermalm, name=f"Team {n}")
        staff_member(Role.WORKER, cast.sodermalm, username=f"s{n}")
        case_with_team(unit, staff_member(Role.WORKER, unit, username=f"w{n}"))
    assert _queries(client, url) == few


def _team_url(cast, membership) -> str:
    return reverse("organisation:membership_team", args=[cast.sodermalm.pk, membership.pk])


def test_the_administrator_places_a_worker_in_a_team_and_it_is_audited(cast):
    team = Team.objects.create(unit=cast.sodermalm, name="Team Unga vuxna")
    membership = Membership.objects.get(user=cast.colleague)
    client = signed_in(cast.administrator)
    page = client.get(reverse("organisation:unit_edit", args=[cast.sodermalm.pk])).content.decode()
    assert f"Team för {cast.colleague}" in page  # a visible label names whose team it is
    response = client.post(_team_url(cast, membership), {f"m{membership.pk}-team": team.pk})
    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.team == team
    assert AuditEvent.objects.filter(
        object_type="organisation.User", detail__team=team.pk, detail__membership=membership.pk
    ).exists()


def test_an_inactive_team_or_another_units_team_is_refused_next_to_the_field(cast):
    closed = Team.objects.create(unit=cast.sodermalm, name="Nedlagt team", active=False)
    open_team = Team.objects.create(unit=cast.sodermalm, name="Team Vuxna")
    elsewhere = Team.objects.create(unit=cast.rinkeby, name="Team Rinkeby")
    membership = Membership.objects.get(user=cast.colleague)
    client = signed_in(cast.administrator)
    page = client.get(reverse("organisation:unit_edit", args=[cast.sodermalm.pk])).content.decode()
    picker = re.search(rf'<select name="m{membership.pk}-team".*?</select>', page, re.S).group(0)
    assert f'value="{open_team.pk}"' in picker
    assert f'value="{closed.pk}"' not in picker
    for team in (closed, elsewhere):
        response = client.post(_team_url(cast, membership), {f"m{membership.pk}-team": team.pk})
        assert response.status_code == 400
        assert "Välj ett aktivt team i enheten." in response.content.decode()
    membership.refresh_from_db()
    assert membership.team is None


def test_a_membership_of_another_unit_is_not_found_through_this_unit(cast):
    other = Membership.objects.get(user=cast.other_district_worker)
    response = signed_in(cast.administrator).post(
        reverse("organisation:membership_team", args=[cast.sodermalm.pk, other.pk]),
        {f"m{other.pk}-team": ""},
    )
    assert response.status_code == 404


def test_the_counts_are_open_cases_and_distinct_staff_of_each_unit(cast):
    case_with_team(cast.sodermalm, cast.case_worker, phase="closed")  # closed: not counted
    case_with_team(cast.sodermalm, cast.case_worker)
    Membership.objects.create(user=cast.unit_manager, role=Role.WORKER, unit=cast.sodermalm)
    page = signed_in(cast.administrator).get(
        reverse("organisation:unit_edit", args=[cast.sodermalm.pk])
    )
    unit = page.context["unit"]
    assert unit.open_cases == 2  # the cast's case and the new open one
    # case worker, housing support, manager (twice, counted once), colleague
    assert unit.staff == 4
    assert "2 öppna ärenden · 4 i personalen" in page.content.decode()
