"""Synthetic, deterministic demo and volume data. Every name comes from Faker's sv_SE locale.

Each builder takes a `DemoWorld` (brygga.lib.demo_world) and adds to it; each app adds its own
in its `demo.py`, listed in `app_builders()` at the bottom. Bulk inserts keep 100 000 persons
to minutes.

Two shapes (`seed_demo --profile`):
- `real` (the default): cases opened over the last eight years, each open one to five years and
  then closed, so about three in eight are open; staff in proportion, about 45 open cases per
  social worker, in as many districts as the volume fills (Södermalm and Rinkeby-Kista first).
- `heavy`: the stress case. Four social workers per district in all 14 districts, nearly every
  case open and opened in the last two years: thousands of open cases per worker at volume.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable, Sequence

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum import luhn
from tqdm import tqdm

from brygga.audit import chain
from brygga.audit.models import Action, AuditEvent
from brygga.cases import demo as cases_demo
from brygga.cases.models import Case, CaseTeamMember, Phase, TeamRole
from brygga.demo.stockholm import DISTRICTS_2020, WORKERS_PER_DISTRICT
from brygga.housing import demo as housing_demo
from brygga.journal import demo as journal_demo
from brygga.lib import bulk
from brygga.lib.demo_world import BATCH, DEMO_PASSWORD, DemoWorld, District
from brygga.network import demo as network_demo
from brygga.organisation.models import (
    ROLES_NEEDING_APPROVAL,
    Administration,
    Membership,
    Municipality,
    Role,
    Team,
    Unit,
    User,
)
from brygga.partners import demo as partners_demo
from brygga.people import demo as people_demo
from brygga.people.identity import blind_index
from brygga.people.models import Gender, IdentityKind, Person, ProtectionLevel
from brygga.stats import demo as stats_demo
from brygga.support import demo as support_demo

PROFILES = ("real", "heavy")
# The real profile: how long cases run, and how many open cases one social worker carries.
HISTORY_DAYS = 8 * 365
CASE_DAYS = (365, 5 * 365)
OPEN_SHARE = 0.375  # E[min(case length, history)] / history
CASELOAD = 45
WORKERS_PER_TEAM = 8


def build_organisation(world: DemoWorld) -> None:
    stockholm = Municipality.objects.create(name="Stockholms stad", code="0180")
    password = make_password(DEMO_PASSWORD)
    fake = world.faker
    # The demo's roles arrive already approved (four eyes, decision 0021) by a synthetic
    # approver: a fictional, deactivated account that can never log in.
    approver = User.objects.create(
        username="demo.godkannare",
        first_name="Fiktiv",
        last_name="Godkännare (demodata)",
        password=make_password(None),
        is_active=False,
        is_demo=True,
    )
    approved_at = timezone.now()
    world.approver_id = approver.pk

    def staff(username: str, role: str, unit: Unit | None, team: Team | None = None) -> User:
        female = world.rng.random() < 0.7
        user = User.objects.create(
            username=username,
            first_name=fake.first_name_female() if female else fake.first_name_male(),
            last_name=fake.last_name(),
            password=password,
            is_demo=True,
        )
        needs_approval = role in ROLES_NEEDING_APPROVAL
        Membership.objects.create(
            user=user,
            role=role,
            unit=unit,
            team=team,
            approved_by=approver if needs_approval else None,
            approved_at=approved_at if needs_approval else None,
        )
        return user

    staffing = workers_per_district(world)
    for (name, slug), worker_count in zip(DISTRICTS_2020, staffing, strict=True):
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
        for n in range(3, worker_count // WORKERS_PER_TEAM + 1):
            teams.append(Team.objects.create(unit=unit, name=f"Team {n}"))
        workers = [
            staff(f"socsek{i}.{slug}", Role.WORKER, unit, teams[i % len(teams)])
            for i in range(1, worker_count + 1)
        ]
        financial_aid = Unit.objects.create(
            administration=administration,
            name=f"Ekonomiskt bistånd {name}",
            kind=Unit.Kind.FINANCIAL_AID,
        )
        world.districts.append(
            District(
                name=name,
                slug=slug,
                unit=unit,
                manager=staff(f"chef.{slug}", Role.MANAGER, unit),
                workers=workers,
                housing_support=staff(f"boendestod.{slug}", Role.HOUSING_SUPPORT, unit),
                coordinator=staff(f"kpsamordnare.{slug}", Role.CONTACT_COORDINATOR, unit),
                financial_aid=financial_aid,
            )
        )
    social = Administration.objects.create(
        municipality=stockholm,
        name="Socialförvaltningen",
        kind=Administration.Kind.CITYWIDE,
    )
    Unit.objects.create(administration=social, name="Origo resurscentrum", kind=Unit.Kind.OTHER)
    Unit.objects.create(
        administration=social, name="Kontaktpersonsenheten", kind=Unit.Kind.CONTACT_PERSON
    )
    employment = Administration.objects.create(
        municipality=stockholm,
        name="Arbetsmarknadsförvaltningen",
        kind=Administration.Kind.CITYWIDE,
    )
    Unit.objects.create(
        administration=employment, name="Jobbtorg Stockholm", kind=Unit.Kind.EMPLOYMENT
    )
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


def districts_with_cases(world: DemoWorld) -> int:
    """The real profile fills as many districts as its volume staffs with four workers or more."""
    if world.profile == "heavy":
        return len(DISTRICTS_2020)
    workers = world.persons * OPEN_SHARE / CASELOAD
    return max(2, min(len(DISTRICTS_2020), math.ceil(workers / 4)))


def workers_per_district(world: DemoWorld) -> list[int]:
    """Social workers per district, in DISTRICTS_2020 order; one in a district without cases."""
    if world.profile == "heavy":
        return [WORKERS_PER_DISTRICT] * len(DISTRICTS_2020)
    used = _district_order()[: districts_with_cases(world)]
    open_each = world.persons * OPEN_SHARE / len(used)
    staffed = max(1, math.ceil(open_each / CASELOAD))
    return [staffed if i in used else 1 for i in range(len(DISTRICTS_2020))]


def _district_order() -> list[int]:
    """Södermalm and Rinkeby-Kista (the demo logins) first, then the rest in list order."""
    slugs = [slug for _, slug in DISTRICTS_2020]
    first = [slugs.index("sodermalm"), slugs.index("rinkeby")]
    return first + [i for i in range(len(slugs)) if i not in first]


class NamePool:
    """Faker's sv_SE names, drawn once into pools and then picked by the world's generator:
    Faker takes about a millisecond a call, which is minutes at 100 000 persons."""

    SIZE = 400

    def __init__(self, world: DemoWorld) -> None:
        fake, self.rng = world.faker, world.rng
        self.female = [fake.first_name_female() for _ in range(self.SIZE)]
        self.male = [fake.first_name_male() for _ in range(self.SIZE)]
        self.last = [fake.last_name() for _ in range(self.SIZE)]

    def first_name(self, female: bool) -> str:
        return self.rng.choice(self.female if female else self.male)

    def last_name(self) -> str:
        return self.rng.choice(self.last)


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


def _lifecycle(world: DemoWorld) -> tuple[datetime.date, str, datetime.date | None]:
    """When a case opened, its phase and when it closed."""
    rng, today = world.rng, world.today
    if world.profile == "heavy":
        opened_on = today - datetime.timedelta(days=rng.randint(10, 760))
        phase = _pick(rng, PHASE_WEIGHTS)
        return opened_on, phase, today if phase == Phase.CLOSED else None
    age = rng.randint(10, HISTORY_DAYS)
    opened_on = today - datetime.timedelta(days=age)
    length = rng.randint(*CASE_DAYS)
    if length < age:
        return opened_on, Phase.CLOSED, opened_on + datetime.timedelta(days=length)
    if age < 120:
        phase = Phase.PROTECTED_HOUSING if rng.random() < 0.7 else Phase.MOVING_OUT
    elif age < 400:
        phase = _pick(rng, [(Phase.MOVING_OUT, 40), (Phase.ESTABLISHING, 60)])
    else:
        phase = _pick(rng, [(Phase.ESTABLISHING, 60), (Phase.OWN_FEET, 40)])
    return opened_on, phase, None


def build_people_and_cases(world: DemoWorld) -> None:
    rng = world.rng
    order = _district_order() if world.profile == "real" else range(len(world.districts))
    districts = [world.districts[i] for i in order][: districts_with_cases(world)]
    names = NamePool(world)
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
            bulk.new(
                Person,
                first_name=names.first_name(female),
                last_name=names.last_name(),
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
        chunk = bulk.insert(Person, persons[start : start + BATCH])
        cases = []
        for person in chunk:
            district = districts[rng.randrange(len(districts))]
            opened_on, phase, closed_on = _lifecycle(world)
            cases.append(
                bulk.new(
                    Case,
                    person_id=person.pk,
                    owning_unit_id=district.unit.pk,
                    phase=phase,
                    opened_on=opened_on,
                    closed_on=closed_on,
                )
            )
        cases = bulk.insert(Case, cases)
        members = []
        by_unit = {d.unit.pk: d for d in districts}
        for case in cases:
            district = by_unit[case.owning_unit_id]
            responsible = district.workers[rng.randrange(len(district.workers))]
            members.append(
                bulk.new(
                    CaseTeamMember,
                    case_id=case.pk,
                    user_id=responsible.pk,
                    role=TeamRole.RESPONSIBLE,
                )
            )
            if rng.random() < 0.4:
                members.append(
                    bulk.new(
                        CaseTeamMember,
                        case_id=case.pk,
                        user_id=district.housing_support.pk,
                        role=TeamRole.HOUSING_SUPPORT,
                    )
                )
            if rng.random() < 0.25:
                members.append(
                    bulk.new(
                        CaseTeamMember,
                        case_id=case.pk,
                        user_id=district.coordinator.pk,
                        role=TeamRole.CONTACT_COORDINATOR,
                    )
                )
        bulk.insert(CaseTeamMember, members)
        world.case_ids.extend(c.pk for c in cases)
        bar.update(len(chunk))
    bar.close()


def build_audit_history(world: DemoWorld) -> None:
    """The access log a case gathers: created by its first worker, then viewed now and then by
    its team (more often while open), sometimes by the unit's manager. Loaded already sealed."""
    rng = random.Random(world.rng.random())  # noqa: S311 - synthetic data
    managers = {d.unit.pk: d.manager for d in world.districts}
    responsible = dict(
        CaseTeamMember.objects.filter(role=TeamRole.RESPONSIBLE).values_list("case_id", "user_id")
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=set(responsible.values()))}
    ids = sorted(world.case_ids)
    bar = tqdm(total=len(ids), desc="Loggrader", disable=not world.progress)
    for start in range(0, len(ids), BATCH):
        chunk = Case.objects.filter(
            pk__gte=ids[start], pk__lte=ids[min(start + BATCH, len(ids)) - 1]
        )
        events = []
        for case in chunk.only("pk", "person_id", "owning_unit_id", "opened_on", "closed_on"):
            worker = users.get(responsible.get(case.pk, 0))
            if worker is None:
                continue
            end = case.closed_on or world.today
            span = max(1, (end - case.opened_on).days)
            views = rng.randint(2, 6) if case.closed_on else rng.randint(4, 12)
            moments = sorted(rng.randrange(span) for _ in range(views))
            who = [(worker, Action.CREATE, 0)] + [
                (managers[case.owning_unit_id] if rng.random() < 0.1 else worker, Action.VIEW, d)
                for d in moments
            ]
            for user, action, day in who:
                at = datetime.datetime.combine(
                    case.opened_on + datetime.timedelta(days=day),
                    datetime.time(8 + rng.randrange(9), rng.randrange(60)),
                    tzinfo=datetime.UTC,
                )
                events.append(
                    bulk.new(
                        AuditEvent,
                        at=at,
                        action=action,
                        user_id=user.pk,
                        username=user.username,
                        roles=f"{'manager' if user.username.startswith('chef') else 'worker'}"
                        f"@{case.owning_unit_id}",
                        person_id=case.person_id,
                        object_type="cases.Case",
                        object_id=str(case.pk),
                        path=f"/arenden/{case.pk}/",
                        detail={"owning_unit": case.owning_unit_id}
                        if action == Action.VIEW
                        else {"fields": []},
                    )
                )
        chain.load_sealed(events)
        bar.update(min(BATCH, len(ids) - start))
    bar.close()


BUILDERS: list[Callable[[DemoWorld], None]] = [
    build_organisation,
    build_people_and_cases,
    build_audit_history,
]


def app_builders() -> list[Callable[[DemoWorld], None]]:
    """Each app's `demo.py` builder, in the order of INSTALLED_APPS (later ones build on the
    earlier ones' rows). The builders are leaves: they import `brygga.lib.demo_world`, never
    this app; a test checks that every app's `demo.py` is listed here."""
    return [
        people_demo.build,
        cases_demo.build,
        journal_demo.build,
        support_demo.build,
        partners_demo.build,
        stats_demo.build,
        housing_demo.build,
        network_demo.build,
    ]
