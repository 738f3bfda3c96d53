"""Test data factories. Names come from Faker's sv_SE locale: fictional, always."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from brygga.cases.models import Case, CaseTeamMember, TeamRole
from brygga.organisation.models import Administration, Membership, Municipality, Role, Unit, User
from brygga.people.models import Gender, Person, ProtectionLevel

factory.Faker._DEFAULT_LOCALE = "sv_SE"
_fake = factory.faker.faker.Faker("sv_SE")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = "Stockholms stad"
    code = "0180"


class AdministrationFactory(DjangoModelFactory):
    class Meta:
        model = Administration

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Stadsdel {n} stadsdelsförvaltning")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    name = factory.Sequence(lambda n: f"Relationsvåldsteamet {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("ett-langt-testlosenord-42")


def staff_member(role: str, unit: Unit | None, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    # Staff and persons draw from the same Faker names, and some Faker first names are words
    # or parts of words on every page ("Li", "Lo", "My", "Ida"): a person called Hassan beside
    # a staff member called Hassan failed "her name is not on this page" at random. The
    # numbered suffix makes a person's names something no staff name, label, other person
    # or other text on a page contains (fixed width: no name is part of another).
    first_name = factory.Sequence(lambda n: f"{_fake.first_name_female()}-F{n:05d}")
    last_name = factory.LazyFunction(lambda: f"{_fake.last_name()}-Fiktiv")
    gender = Gender.WOMAN
    birth_year = 1998
    protection_level = ProtectionLevel.CONFIDENTIALITY_MARKING
    is_fictional = True


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    owning_unit = factory.SubFactory(UnitFactory)


def case_with_team(unit: Unit, responsible: User, **kwargs: object) -> Case:
    case = CaseFactory(owning_unit=unit, **kwargs)
    CaseTeamMember.objects.create(case=case, user=responsible, role=TeamRole.RESPONSIBLE)
    return case


__all__ = ["Role", "staff_member", "case_with_team"]
