"""The existence oracle (issue 14): no form may tell a user that a person they cannot see is
registered in Brygga. A worker in another district who types a protected person's number gets
exactly what an unknown number gets; the owning unit's manager gets a match to look into."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from stdnum import luhn

from brygga.audit.models import Action, AuditEvent
from brygga.cases.models import Case, IdentityMatch
from brygga.organisation.models import Role
from brygga.people.identity import blind_index
from brygga.people.models import Person
from tests.conftest import signed_in
from tests.factories import staff_member

pytestmark = pytest.mark.django_db


def _valid(body: str) -> str:
    return "19" + body + luhn.calc_check_digit(body)


KNOWN = _valid("851124238")  # fictional


def personnummer(serial: int) -> str:
    """A valid, fictional personnummer born the same day as KNOWN, with another serial."""
    return _valid(f"851124{serial:03d}")


@pytest.fixture
def protected_person(cast):
    person = cast.case.person
    person.identity_number = KNOWN
    person.identity_index = blind_index(KNOWN)
    person.protection_level = "skyddad_folkbokforing"
    person.save()
    cache.clear()
    return person


def registration(cast, number: str) -> dict[str, str]:
    return {
        "person-first_name": "Fiktiva",
        "person-last_name": "Orakelsson",
        "person-identity_input": number,
        "person-gender": "woman",
        "person-birth_year": KNOWN[:4] if "-" in number else number[:4],
        "person-protection_level": "none",
        "person-accompanying_children": "0",
        "case-owning_unit": str(cast.rinkeby.pk),
        "case-responsible": str(cast.other_district_worker.pk),
        "case-opened_on": "2026-11-01",
    }


def _shape(client: Client, response) -> tuple:
    """What a user can observe of a response, with the new case's number taken out."""
    location = re.sub(r"\d+", "N", response.get("Location", ""))
    page = client.get(response["Location"]).content.decode() if location else ""
    page = re.sub(r"(arenden/|[äÄ]rende |\(|#)\d+", r"\1N", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r"\d{12}|\d{6,8}-\d{4}", "NUMMER", page)
    return response.status_code, location, response.content, page


def test_a_known_invisible_number_gets_the_same_answer_as_an_unknown_one(cast, protected_person):
    client = signed_in(cast.other_district_worker)
    unknown = client.post(reverse("open_case"), registration(cast, personnummer(1)))
    unknown_seen = _shape(client, unknown)
    known = client.post(reverse("open_case"), registration(cast, KNOWN[2:8] + "-" + KNOWN[8:]))
    assert unknown.status_code == 302
    assert _shape(client, known) == unknown_seen
    assert "finns redan" not in client.get(known["Location"]).content.decode()


def test_the_known_invisible_number_is_routed_to_the_owning_units_manager(cast, protected_person):
    client = signed_in(cast.other_district_worker)
    client.post(reverse("open_case"), registration(cast, KNOWN))
    match = IdentityMatch.objects.get()
    assert match.existing_person == protected_person
    assert match.registered_by == cast.other_district_worker
    lookup = AuditEvent.objects.get(action=Action.SEARCH, person_id=protected_person.pk)
    assert lookup.user_id == cast.other_district_worker.pk
    page = signed_in(cast.unit_manager).get(reverse("identity_matches")).content.decode()
    assert "Nummerträffar" in page
    assert protected_person.full_name in page
    other_manager = signed_in(cast.other_district_manager).get(reverse("identity_matches"))
    assert "Inga nummerträffar väntar." in other_manager.content.decode()
    assert protected_person.full_name not in other_manager.content.decode()


def test_the_manager_marks_a_match_as_handled(cast, protected_person):
    signed_in(cast.other_district_worker).post(reverse("open_case"), registration(cast, KNOWN))
    match = IdentityMatch.objects.get()
    manager = signed_in(cast.unit_manager)
    other = signed_in(cast.other_district_manager)
    url = reverse("acknowledge_identity_match", args=[match.pk])
    assert other.post(url).status_code == 404
    assert manager.post(url).status_code == 302
    match.refresh_from_db()
    assert match.acknowledged_by == cast.unit_manager


def test_a_number_the_worker_already_sees_is_named_to_them(cast, protected_person):
    client = signed_in(cast.case_worker)
    data = registration(cast, KNOWN) | {
        "case-owning_unit": str(cast.sodermalm.pk),
        "case-responsible": str(cast.case_worker.pk),
    }
    response = client.post(reverse("open_case"), data)
    assert response.status_code == 200
    assert "Personen med detta nummer finns redan bland dina ärenden" in response.content.decode()
    assert not IdentityMatch.objects.exists()


def test_changing_a_persons_number_to_an_invisible_one_tells_nothing_either(cast, protected_person):
    client = signed_in(cast.other_district_worker)
    client.post(reverse("open_case"), registration(cast, personnummer(2)))
    own = Case.objects.get(owning_unit=cast.rinkeby)
    form = client.get(reverse("edit_person", args=[own.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form)[1]
    data = {
        k.removeprefix("person-"): v
        for k, v in registration(cast, KNOWN).items()
        if k.startswith("person-")
    }
    response = client.post(reverse("edit_person", args=[own.pk]), data | {"version": version})
    assert response.status_code == 302
    assert IdentityMatch.objects.get().existing_person == protected_person


def test_registrations_are_rate_limited_alike_for_known_and_unknown_numbers(
    cast, protected_person, settings
):
    settings.REGISTRATION_RATE_LIMIT = 2
    client = signed_in(cast.other_district_worker)
    assert client.post(reverse("open_case"), registration(cast, personnummer(3))).status_code == 302
    assert client.post(reverse("open_case"), registration(cast, KNOWN)).status_code == 302
    assert client.post(reverse("open_case"), registration(cast, KNOWN)).status_code == 429
    assert client.post(reverse("open_case"), registration(cast, personnummer(4))).status_code == 429


def test_known_and_unknown_numbers_take_the_same_time_within_noise(cast, protected_person):
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for serial in range(5, 11):
        for kind, number in (("unknown", personnummer(serial)), ("known", KNOWN)):
            # A fresh worker each time: a number one has registered oneself is visible to one.
            worker = staff_member(Role.WORKER, cast.rinkeby, username=f"w_{kind}_{serial}")
            client = signed_in(worker)
            started = time.perf_counter()
            assert client.post(reverse("open_case"), registration(cast, number)).status_code == 302
            timings[kind].append(time.perf_counter() - started)
    known, unknown = (statistics.median(timings[k]) for k in ("known", "unknown"))
    # Generous, for a shared CI machine: a lookup that short-circuits would be many times faster.
    assert 0.4 < known / unknown < 2.5
    assert Person.objects.filter(identity_index=blind_index(KNOWN)).count() == 7
