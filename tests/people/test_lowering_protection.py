"""Lowering a protection level unmasks nothing (issue 14, decision 0022).

The review's attack: a unit manager without a grant lowers the level to none, reads the
protected details and sets the level back. Now the lowering needs a reason, is recorded as
the manager's decision with it and flagged in the log review, and details once recorded under
protection stay behind a grant.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.people.models import (
    MASK,
    AccessRequest,
    Person,
    ProtectedDetails,
    ProtectionLevel,
)
from tests.conftest import signed_in
from tests.factories import PersonFactory, Role, case_with_team, staff_member
from tests.people.test_edit_person import form_for

pytestmark = pytest.mark.django_db

ADDRESS = "Gömda gränd 4, 999 91 Ingenstans"
CODE_WORD = "Snödroppe"
REASON = "Domstolen har hävt sekretessmarkeringen enligt beslut från Skatteverket."


@pytest.fixture
def details(cast):
    return ProtectedDetails.objects.create(
        person=cast.case.person, address=ADDRESS, code_word=CODE_WORD
    )


def edit(client, cast, **changes):
    person = Person.objects.get(pk=cast.case.person_id)
    return client.post(reverse("edit_person", args=[cast.case.pk]), form_for(person, **changes))


def protected_page(client, cast):
    return client.get(reverse("protected_details", args=[cast.case.pk])).content.decode()


def test_the_unit_manager_cannot_lower_the_level_without_a_reason(cast, details):
    response = edit(signed_in(cast.unit_manager), cast, protection_level="none")
    assert response.status_code == 200
    assert "Skriv skälet till att skyddsnivån sänks" in response.content.decode()
    assert Person.objects.get(pk=cast.case.person_id).protection_level == "sekretessmarkering"


def test_a_manager_who_lowers_the_level_still_reads_only_the_mask(cast, details):
    manager = signed_in(cast.unit_manager)
    response = edit(manager, cast, protection_level="none", protection_reason=REASON)
    assert response.status_code == 302
    assert Person.objects.get(pk=cast.case.person_id).protection_level == "none"

    html = protected_page(manager, cast)
    assert MASK in html and "Skyddsnivån är sänkt" in html  # the page, masked ...
    assert ADDRESS not in html and CODE_WORD not in html  # ... without the details
    assert "Begär behörighet" in html  # the way in is a grant, decided by someone else


@pytest.mark.parametrize("persona", ["unit_manager", "housing_support"])
def test_after_lowering_the_case_team_sees_the_mask_on_the_case_page(cast, details, persona):
    edit(signed_in(cast.unit_manager), cast, protection_level="none", protection_reason=REASON)
    html = signed_in(getattr(cast, persona)).get(reverse("case_detail", args=[cast.case.pk]))
    body = html.content.decode()
    assert cast.case.person.full_name in body and MASK in body
    assert ADDRESS not in body


def test_after_lowering_a_grant_decided_by_the_manager_is_the_way_in(cast, details):
    edit(signed_in(cast.unit_manager), cast, protection_level="none", protection_reason=REASON)
    housing_support = signed_in(cast.housing_support)
    assert ADDRESS not in protected_page(housing_support, cast)
    housing_support.post(
        reverse("request_protected_access", args=[cast.case.pk]),
        {"reason": "Ska följa med till bostadsvisning i morgon"},
    )
    request_id = AccessRequest.objects.get(requested_by=cast.housing_support).pk
    signed_in(cast.unit_manager).post(
        reverse("decide_access_request", args=[request_id]), {"decision": "approve"}
    )
    assert ADDRESS in protected_page(housing_support, cast)


def test_setting_the_level_back_gives_the_lowering_manager_nothing_either(cast, details):
    manager = signed_in(cast.unit_manager)
    edit(manager, cast, protection_level="none", protection_reason=REASON)
    edit(manager, cast, protection_level="sekretessmarkering")
    html = protected_page(manager, cast)
    assert MASK in html and ADDRESS not in html


def test_the_responsible_worker_still_reveals_after_lowering(cast, details):
    edit(signed_in(cast.unit_manager), cast, protection_level="none", protection_reason=REASON)
    assert ADDRESS in protected_page(signed_in(cast.case_worker), cast)


def test_the_lowering_is_the_managers_decision_logged_with_its_reason(cast, details):
    edit(signed_in(cast.unit_manager), cast, protection_level="none", protection_reason=REASON)
    event = AuditEvent.objects.get(detail__has_key="protection_lowered")
    assert event.user_id == cast.unit_manager.pk
    assert event.person_id == cast.case.person_id
    assert event.reason == REASON
    assert event.detail["protection_lowered"] == {"from": "sekretessmarkering", "to": "none"}


def test_the_log_review_flags_the_lowering_and_shows_the_reason(cast, details):
    edit(signed_in(cast.unit_manager), cast, protection_level="none", protection_reason=REASON)
    edit(signed_in(cast.case_worker), cast, first_name="Annars")  # an ordinary edit
    second_manager = staff_member(Role.MANAGER, cast.sodermalm, username="second_manager")
    response = signed_in(second_manager).get(reverse("log_review"))
    flagged = [row for row in response.context["rows"] if "Sänkt skyddsnivå" in row.flags]
    assert [row.event.user_id for row in flagged] == [cast.unit_manager.pk]
    body = response.content.decode()
    assert "Sänkt skyddsnivå" in body and REASON in body
    assert ADDRESS not in body


def test_raising_the_level_is_no_lowering_and_needs_no_reason(cast, details):
    response = edit(signed_in(cast.case_worker), cast, protection_level="skyddad_folkbokforing")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(detail__has_key="protection_lowered").exists()


def test_a_person_never_protected_shows_the_details_to_the_case_team(cast):
    person = PersonFactory(protection_level=ProtectionLevel.NONE)
    case = case_with_team(cast.sodermalm, cast.case_worker, person=person)
    ProtectedDetails.objects.create(person=person, address=ADDRESS)
    html = signed_in(cast.unit_manager).get(reverse("case_detail", args=[case.pk]))
    assert ADDRESS in html.content.decode()
    assert person.ever_protected is False


def test_giving_a_person_a_level_marks_them_for_good(cast):
    person = PersonFactory(protection_level=ProtectionLevel.NONE)
    person.protection_level = ProtectionLevel.PROTECTED_REGISTRATION
    person.save(update_fields=["protection_level"])
    assert Person.objects.get(pk=person.pk).ever_protected is True


def test_the_migration_marks_persons_protected_now_or_in_their_history():
    now = PersonFactory(protection_level=ProtectionLevel.CONFIDENTIALITY_MARKING)
    before = PersonFactory(protection_level=ProtectionLevel.CONFIDENTIALITY_MARKING)
    before.protection_level = ProtectionLevel.NONE
    before.save()
    never = PersonFactory(protection_level=ProtectionLevel.NONE)
    Person.objects.update(ever_protected=False)  # as before the migration

    migration = importlib.import_module("brygga.people.migrations.0004_ever_protected")
    migration.mark_the_ever_protected(apps, None)

    marked = set(Person.objects.filter(ever_protected=True).values_list("pk", flat=True))
    assert marked == {now.pk, before.pk}
    assert never.pk not in marked
