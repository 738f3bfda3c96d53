"""A case's change history: who changed what and when, with old and new values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Phase
from brygga.organisation.models import Membership, Role
from tests.conftest import signed_in
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _url(cast):
    return reverse("case_change_history", args=[cast.case.pk])


def _edit_person(cast, user, **changes):
    person = cast.case.person
    person.refresh_from_db()
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "identity_input": person.identity_display,
        "gender": person.gender,
        "birth_year": str(person.birth_year),
        "protection_level": person.protection_level,
        "accompanying_children": str(person.accompanying_children),
        "version": str(person.version),
    }
    data.update(changes)
    response = signed_in(user).post(reverse("edit_person", args=[cast.case.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _change_table(entries):
    return [
        (entry.subject, entry.who, change.label, str(change.old), str(change.new))
        for entry in entries
        for change in entry.changes
    ]


def test_the_history_shows_who_changed_which_field_from_what_to_what(cast):
    old_name = cast.case.person.first_name
    _edit_person(cast, cast.case_worker, first_name="Nyanamn")
    response = signed_in(cast.unit_manager).get(_url(cast))
    assert response.status_code == 200
    who = cast.case_worker.get_full_name()
    assert ("Personen", who, "förnamn", old_name, "Nyanamn") in _change_table(
        response.context["entries"]
    )
    assert "Nyanamn" in response.content.decode()


def test_choices_are_shown_by_their_label(cast):
    _edit_person(cast, cast.case_worker, protection_level="skyddad_folkbokforing")
    rows = _change_table(signed_in(cast.case_worker).get(_url(cast)).context["entries"])
    assert any(r[2] == "skyddsnivå" and r[4] == "Skyddad folkbokföring" for r in rows)


def test_a_changed_personnummer_is_not_shown_only_that_it_changed(cast):
    _edit_person(cast, cast.case_worker, identity_input="19900101-0017", birth_year="1990")
    response = signed_in(cast.case_worker).get(_url(cast))
    content = response.content.decode()
    assert "199001010017" not in content and "19900101-0017" not in content
    rows = _change_table(response.context["entries"])
    assert ("personnummer", "(krypterat värde ändrat)") in [(r[2], r[4]) for r in rows]


def test_the_history_table_stores_the_personnummer_encrypted(cast):
    _edit_person(cast, cast.case_worker, identity_input="19900101-0017", birth_year="1990")
    table = cast.case.person.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT identity_number FROM {table} WHERE id = %s",  # noqa: S608 - a model's table
            [cast.case.person_id],
        )
        raw = [row[0] for row in cursor.fetchall()]
    assert any(raw), "the change should be in the history"
    assert all("199001010017" not in (value or "") for value in raw)
    assert cast.case.person.history.first().identity_number == "199001010017"


def _unit_where_the_case_worker_also_works(cast, **kwargs):
    """A case moved to another unit is seen by its team only if they work there too."""
    unit = UnitFactory(**kwargs)
    Membership.objects.create(user=cast.case_worker, role=Role.WORKER, unit=unit)
    return unit


def test_a_case_moved_to_another_unit_shows_the_unit_names(cast):
    new_unit = _unit_where_the_case_worker_also_works(cast, name="Relationsvåldsteamet Farsta")
    case = cast.case
    case.owning_unit = new_unit
    case.phase = Phase.MOVING_OUT
    case.save()
    # The case moved away from Södermalm; its worker works in Farsta too and still sees it.
    rows = _change_table(signed_in(cast.case_worker).get(_url(cast)).context["entries"])
    labels = {(r[2], r[3], r[4]) for r in rows}
    assert (
        "ägande enhet",
        "Relationsvåldsteamet Södermalm",
        "Relationsvåldsteamet Farsta",
    ) in labels
    assert ("fas", "Skyddat boende", "Utslussning") in labels


def test_opening_the_history_is_logged_as_a_view_of_the_person(cast):
    signed_in(cast.case_worker).get(_url(cast))
    assert AuditEvent.objects.filter(
        action=Action.VIEW, user_id=cast.case_worker.pk, person_id=cast.case.person_id
    ).exists()


@pytest.mark.parametrize("persona", ["case_worker", "unit_manager"])
def test_the_case_team_and_its_managers_see_the_history(cast, persona):
    assert signed_in(getattr(cast, persona)).get(_url(cast)).status_code == 200


def test_housing_support_acting_in_part_sees_no_change_history(cast):
    client = signed_in(cast.housing_support)
    assert client.get(reverse("case_detail", args=[cast.case.pk])).status_code == 200
    assert client.get(_url(cast)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["colleague", "other_district_worker", "other_district_manager", "administrator"]
)
def test_anyone_else_gets_not_found(cast, persona):
    assert signed_in(getattr(cast, persona)).get(_url(cast)).status_code == 404


def test_the_history_runs_the_same_number_of_queries_however_long_it_is(cast):
    client = signed_in(cast.case_worker)
    _edit_person(cast, cast.case_worker, first_name="Ett")
    # One query names the units of all moves.
    cast.case.owning_unit = _unit_where_the_case_worker_also_works(cast)
    cast.case.save()
    client.get(_url(cast))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(cast)).status_code == 200
        return len(captured)

    few = count()
    for n in range(6):
        _edit_person(cast, cast.case_worker, first_name=f"Namn{n}", accompanying_children=str(n))
        cast.case.owning_unit = (
            _unit_where_the_case_worker_also_works(cast) if n % 2 else cast.sodermalm
        )
        cast.case.save()
    assert count() == few


def test_a_plan_item_change_shows_with_its_old_and_new_value(cast):
    from tests.support.conftest import intervention

    item = intervention(cast.case, "Kontaktperson", "planned", legal_ground="Gammalt lagrum")
    item.legal_ground = "Nytt lagrum"
    item.save()
    response = signed_in(cast.case_worker).get(reverse("case_change_history", args=[cast.case.pk]))
    html = response.content.decode()
    assert "Gammalt lagrum" in html and "Nytt lagrum" in html


def test_a_changed_provider_shows_only_that_it_changed(cast):
    """The provider may name the shelter the person stays in: encrypted, never shown here."""
    from tests.support.conftest import intervention

    item = intervention(cast.case, "Jourlägenhet", "planned", provider="Gamla skyddade boendet")
    item.provider = "Nya skyddade boendet"
    item.save()
    response = signed_in(cast.case_worker).get(reverse("case_change_history", args=[cast.case.pk]))
    html = response.content.decode()
    assert "krypterat värde ändrat" in html
    assert "Gamla skyddade boendet" not in html and "Nya skyddade boendet" not in html


def test_with_fingerade_personuppgifter_the_history_never_pairs_the_old_and_new_name(cast):
    person = cast.case.person
    person.first_name = real_first_name = "Ursprungsnamn"
    person.save()
    _edit_person(
        cast,
        cast.case_worker,
        protection_level="fingerade_personuppgifter",
        first_name="Täcknamn",
    )
    html = signed_in(cast.case_worker).get(_url(cast)).content.decode()
    main = html.split("<main", 1)[1]
    assert real_first_name not in main
    assert main.count("Täcknamn") == 1  # the page heading's current name only
    assert "namnändring dold" in html
