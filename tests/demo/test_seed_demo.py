"""The demo data command: deterministic, realistic, fictional."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from brygga.cases.models import Case
from brygga.organisation.models import (
    ROLES_NEEDING_APPROVAL,
    Administration,
    Membership,
    Role,
    RoleRequest,
    Unit,
    User,
)
from brygga.people.models import Person

pytestmark = pytest.mark.django_db


def seed(persons=200, seed=3):
    out = StringIO()
    call_command("seed_demo", persons=persons, seed=seed, stdout=out)
    return out.getvalue()


def test_it_builds_stockholms_fourteen_districts_with_a_violence_team_each():
    seed(persons=20)
    districts = Administration.objects.filter(kind=Administration.Kind.DISTRICT)
    assert districts.count() == 14
    assert Unit.objects.filter(kind=Unit.Kind.VIOLENCE_TEAM).count() == 14


def test_it_creates_staff_in_every_role_and_prints_their_logins():
    output = seed(persons=20)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {Role.WORKER, Role.MANAGER, Role.HOUSING_SUPPORT, Role.CONTACT_COORDINATOR} <= roles
    assert {Role.ADMINISTRATOR, Role.STATISTICIAN, Role.PARTNER} <= roles
    assert "socsek1.sodermalm" in output and "demo-brygga-2026" in output
    assert not User.objects.filter(is_demo=False).exists()


def test_every_role_that_needs_a_second_person_arrives_approved_by_a_synthetic_approver():
    seed(persons=20)
    approver = User.objects.get(username="demo.godkannare")
    assert approver.is_demo and not approver.is_active  # fictional, can never log in
    needing = Membership.objects.filter(role__in=ROLES_NEEDING_APPROVAL)
    assert needing.filter(role=Role.MANAGER).exists()
    assert not needing.filter(approved_by__isnull=True).exists()
    assert set(needing.values_list("approved_by", flat=True)) == {approver.pk}
    assert not Membership.objects.filter(role=Role.STATISTICIAN, approved_by__isnull=False)
    assert not RoleRequest.objects.exists()  # nothing waits: every demo login is ready


def test_the_persons_are_fictional_and_realistically_distributed():
    seed(persons=400)
    persons = Person.objects.all()
    assert persons.count() == 400 == Case.objects.count()
    assert all(p.is_fictional for p in persons)
    genders = Counter(p.gender for p in persons)
    assert 0.7 < genders["woman"] / 400 < 0.9
    ages = [2026 - p.birth_year for p in persons]
    assert min(ages) >= 17 and max(ages) <= 37
    levels = Counter(p.protection_level for p in persons)
    assert len(levels) == 4
    assert any(p.accompanying_children for p in persons)


class Rollback(Exception):
    pass


def people_after_seeding(seed_value):
    """Seed inside a savepoint, read the persons, then roll the savepoint back."""
    try:
        with transaction.atomic():
            seed(persons=30, seed=seed_value)
            people = list(
                Person.objects.order_by("pk").values_list(
                    "first_name", "last_name", "birth_year", "gender", "identity_number"
                )
            )
            raise Rollback
    except Rollback:
        return people


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not():
    first = people_after_seeding(11)
    assert first == people_after_seeding(11)
    assert first != people_after_seeding(12)


def test_it_refuses_to_seed_a_database_that_has_users():
    seed(persons=5)
    with pytest.raises(CommandError):
        seed(persons=5)


def test_if_empty_leaves_an_existing_database_alone():
    seed(persons=5)
    out = StringIO()
    call_command("seed_demo", persons=5, if_empty=True, stdout=out)
    assert Person.objects.count() == 5
