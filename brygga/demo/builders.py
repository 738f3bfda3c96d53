"""Synthetic, deterministic demo and volume data. Every name comes from Faker's sv_SE locale.

Each builder takes a `DemoWorld` and adds to it; later issues add builders for their apps
(see BUILDERS at the bottom). Bulk inserts keep 100 000 persons to minutes.
"""

from __future__ import annotations

import datetime
import importlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from faker import Faker
from stdnum import luhn
from tqdm import tqdm

from brygga.cases.models import Case, CaseTeamMember, Phase, TeamRole
from brygga.demo.stockholm import DISTRICTS_2020, WORKERS_PER_DISTRICT
from brygga.organisation.models import (
    Administration,
    Membership,
    Municipality,
    Role,
    Team,
    Unit,
    User,
)
from brygga.people.identity import blind_index
from brygga.people.models import Gender, IdentityKind, Person, ProtectionLevel

DEMO_PASSWORD = "demo-brygga-2026"  # noqa: S105 - demo users exist only in demo mode
BATCH = 2000


@dataclass
class District:
    name: str
    slug: str
    unit: Unit
    manager: User
    workers: list[User]
    housing_support: User
    coordinator: User


@dataclass
class DemoWorld:
    rng: random.Random
    faker: Faker
    today: datetime.date
    persons: int
    progress: bool
    districts: list[District] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)


def build_organisation(world: DemoWorld) -> None:
    stockholm = Municipality.objects.create(name="Stockholms stad", code="0180")
    password = make_password(DEMO_PASSWORD)
    fake = world.faker

    def staff(username: str, role: str, unit: Unit | None, team: Team | None = None) -> User:
        female = world.rng.random() < 0.7
        user = User.objects.create(
            username=username,
            first_name=fake.first_name_female() if female else fake.first_name_male(),
            last_name=fake.last_name(),
            password=password,
            is_demo=True,
        )
        Membership.objects.create(user=user, role=role, unit=unit, team=team)
        return user

    for name, slug in DISTRICTS_2020:
        administration = Administration.objects.create(
            municipality=stockholm, name=f"{name} stadsdelsförvaltning"
        )
        unit = Unit.objects.create(
            administration=administration,
            name=f"Relationsvåldsteamet {name}",
            kind=Unit.Kind.VIOLENCE_TEAM,
        )
        teams = [
            Team.objects.create(unit=unit, name="Team Vuxna"),
            Team.objects.create(unit=unit, name="Team Unga vuxna"),
        ]
        workers = [
            staff(f"socsek{i}.{slug}", Role.WORKER, unit, teams[i % 2])
            for i in range(1, WORKERS_PER_DISTRICT + 1)
        ]
        world.districts.append(
            District(
                name=name,
                slug=slug,
                unit=unit,
                manager=staff(f"chef.{slug}", Role.MANAGER, unit),
                workers=workers,
                housing_support=staff(f"boendestod.{slug}", Role.HOUSING_SUPPORT, unit),
                coordinator=staff(f"kpsamordnare.{slug}", Role.CONTACT_COORDINATOR, unit),
            )
        )
    social = Administration.objects.create(
        municipality=stockholm,
        name="Socialförvaltningen",
        kind=Administration.Kind.CITYWIDE,
    )
    Unit.objects.create(administration=social, name="Origo resurscentrum", kind=Unit.Kind.OTHER)
    staff("admin", Role.ADMINISTRATOR, None)
    staff("statistiker", Role.STATISTICIAN, None)
    # Partner organisations and their portal come later; the login exists and sees nothing yet.
    staff("partner.demo", Role.PARTNER, None)
    world.logins = [
        ("socsek1.sodermalm", "socialsekreterare, Södermalm"),
        ("chef.sodermalm", "enhetschef, Södermalm"),
        ("socsek1.rinkeby", "socialsekreterare i en annan stadsdel (Rinkeby-Kista)"),
        ("boendestod.sodermalm", "boendestödjare, Södermalm"),
        ("kpsamordnare.sodermalm", "kontaktpersonsamordnare, Södermalm"),
        ("statistiker", "statistiker"),
        ("admin", "systemadministratör"),
    ]


PROTECTION_WEIGHTS: list[tuple[str, int]] = [
    (ProtectionLevel.NONE, 20),
    (ProtectionLevel.CONFIDENTIALITY_MARKING, 50),
    (ProtectionLevel.PROTECTED_REGISTRATION, 25),
    (ProtectionLevel.FICTITIOUS_IDENTITY, 5),
]
PHASE_WEIGHTS: list[tuple[str, int]] = [
    (Phase.PROTECTED_HOUSING, 15),
    (Phase.MOVING_OUT, 25),
    (Phase.ESTABLISHING, 35),
    (Phase.OWN_FEET, 15),
    (Phase.CLOSED, 10),
]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def fictional_identity_number(rng: random.Random, birth: datetime.date, female: bool) -> str:
    """A well-formed number in the 98x serial range; generated, never looked up."""
    serial = 980 + rng.randrange(0, 20)
    # The ninth digit is even for women, odd for men.
    if (serial % 10) % 2 != (0 if female else 1):
        serial = serial - 1 if serial % 10 else serial + 1
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn.calc_check_digit(body)}"


def build_people_and_cases(world: DemoWorld) -> None:
    rng, fake = world.rng, world.faker
    districts = world.districts
    persons: list[Person] = []
    for _ in range(world.persons):
        roll = rng.random()
        gender = Gender.WOMAN if roll < 0.8 else Gender.MAN if roll < 0.98 else Gender.OTHER
        female = gender != Gender.MAN
        age = rng.randint(18, 35)
        birth = world.today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        has_number = rng.random() < 0.9
        digits = fictional_identity_number(rng, birth, female) if has_number else ""
        persons.append(
            Person(
                first_name=fake.first_name_female() if female else fake.first_name_male(),
                last_name=fake.last_name(),
                identity_kind=IdentityKind.PERSONNUMMER if has_number else IdentityKind.NONE,
                identity_number=digits,
                identity_index=blind_index(digits) if digits else "",
                gender=gender,
                birth_year=birth.year,
                protection_level=_pick(rng, PROTECTION_WEIGHTS),
                accompanying_children=rng.choices([0, 1, 2, 3], weights=[70, 15, 10, 5])[0],
                is_fictional=True,
            )
        )
    bar = tqdm(total=world.persons, desc="Personer och ärenden", disable=not world.progress)
    for start in range(0, len(persons), BATCH):
        chunk = Person.objects.bulk_create(persons[start : start + BATCH])
        cases = []
        for person in chunk:
            district = districts[rng.randrange(len(districts))]
            opened_on = world.today - datetime.timedelta(days=rng.randint(10, 760))
            phase = _pick(rng, PHASE_WEIGHTS)
            cases.append(
                Case(
                    person=person,
                    owning_unit=district.unit,
                    phase=phase,
                    opened_on=opened_on,
                    closed_on=world.today if phase == Phase.CLOSED else None,
                )
            )
        cases = Case.objects.bulk_create(cases)
        members = []
        by_unit = {d.unit.pk: d for d in districts}
        for case in cases:
            district = by_unit[case.owning_unit_id]
            responsible = district.workers[rng.randrange(len(district.workers))]
            members.append(CaseTeamMember(case=case, user=responsible, role=TeamRole.RESPONSIBLE))
            if rng.random() < 0.4:
                members.append(
                    CaseTeamMember(
                        case=case, user=district.housing_support, role=TeamRole.HOUSING_SUPPORT
                    )
                )
            if rng.random() < 0.25:
                members.append(
                    CaseTeamMember(
                        case=case, user=district.coordinator, role=TeamRole.CONTACT_COORDINATOR
                    )
                )
        CaseTeamMember.objects.bulk_create(members)
        world.case_ids.extend(c.pk for c in cases)
        bar.update(len(chunk))
    bar.close()


BUILDERS: list[Callable[[DemoWorld], None]] = [build_organisation, build_people_and_cases]


def app_builders() -> list[Callable[[DemoWorld], None]]:
    """Other apps add demo data through a `demo.py` module with `build(world)`, run in app order."""
    builders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("brygga.") or config.name == "brygga.demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        builders.append(module.build)
    return builders
