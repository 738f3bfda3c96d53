"""The access matrix: every URL pattern × every persona and relationship to a case.

Generated: new URLs are picked up on their own. URL kwargs are filled from the target case
(`case_id`, `person_id`) or with a real object of that case, found or created generically by
the kwarg's name (`note_id` → a JournalNote of the case). Kwargs it cannot fill are reported
(a warning) and the URL is still requested with an id that exists nowhere.

Expectations:
- outsiders (colleague off the team, other district, expired emergency access, administrator,
  statistician, partner) get 404 on every URL about the case, GET and POST, and no page at all
  shows them the person's name, personnummer or a protected detail;
- insiders (team, unit manager, active emergency access) get 2xx/3xx, 404 or 405, never a 500,
  and nobody sees a protected detail on any page except the explicit reveal pages;
- a signed-out visitor is sent to login from every non-public URL.
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from brygga.access.models import EmergencyAccess
from brygga.cases.models import Case, ProtectedHousingStay
from brygga.housing.models import Allocation, Flat
from brygga.network.models import BudgetAssignment
from brygga.organisation.models import Role, RoleRequest, Team, User
from brygga.partners.models import Consent
from brygga.partners.services import withdraw_consent
from brygga.people.identity import blind_index
from brygga.people.models import AccessRequest, Person, ProtectedDetails
from brygga.support.models import Intervention, InterventionType, Task
from tests.conftest import signed_in
from tests.factories import staff_member
from tests.partners.conftest import fake_request, partner_world

pytestmark = pytest.mark.django_db

PNR = "19851124" + "2386"
ADDRESS = "Matrisvägen 99, 999 99 Hemligstad"
CODE_WORD = "Vitsippa"
FLAT_ADDRESS = "Lägenhetsgränd 3, 999 98 Hemligstad"
# Where the person stays: the protected-housing provider, also written as a plan intervention's
# provider and as the organisation responsible for a task. Only those who may change the case
# read it; read-only roles see it masked.
SHELTER = "Skyddade boendet Matrislinden"
MAY_SEE_SHELTER = {"case_worker", "unit_manager"}
PUBLIC = {"login", "health", "set_language"}
# Pages whose purpose is to reveal protected details to someone with the right to see them.
REVEAL_PAGES = {"protected_details", "edit_protected_details"}
# Signing out ends the session the rest of the walk needs; it shows no person either.
SKIP = {"logout"}
MISSING_ID = 987654321

INSIDERS = ["case_worker", "unit_manager", "housing_support", "emergency_active"]
OUTSIDERS = [
    "colleague",
    "other_district_worker",
    "other_district_manager",
    "emergency_expired",
    "administrator",
    "statistician",
    "partner",
    "partner_other_org",
    "network",
]
# A partner user of the organisation the person was referred to (with consent): sees only the
# partner portal's pages for that referral, and of the person only the consented first name.
PARTNER_OWN_PAGES = {"portal_referral", "portal_status", "portal_feedback"}
MAY_REVEAL = {"case_worker"}  # the responsible worker; others need a grant


def all_patterns(resolver: Any = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _is_public(pattern: URLPattern) -> bool:
    """Public views (login, health, single sign-on) are checked by test_every_view_is_guarded."""
    callback = pattern.callback
    return (
        pattern.name in PUBLIC
        or getattr(callback, "access_rule", None) == "public"
        or getattr(callback, "login_required", True) is False
    )


ROUTES = [
    (route, pattern.name or route)
    for route, pattern in all_patterns()
    if not _is_public(pattern) and pattern.name not in SKIP
]
KWARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass
class World:
    case: Case
    person: Person
    users: dict[str, User]
    objects: dict[str, int]  # kwargs filled with objects of the target case
    unrelated: dict[str, int]  # kwargs filled with objects that are not about the case


def _case_fk(model: type[models.Model]) -> str | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Case:
            return field.name
    return None


def _fill_value(field: models.Field, world: World, depth: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        if related is Case:
            return world.case
        if related is Person:
            return world.person
        if related is User:
            return world.users["case_worker"]
        existing = related._default_manager.first()
        return existing if existing is not None else _create(related, world, depth + 1)
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.CharField | models.TextField):
        return "Matris"
    raise TypeError(field)


def _create(model: type[models.Model], world: World, depth: int = 0) -> models.Model:
    """A row of `model` with every required field filled; tied to the target case if it can."""
    if depth > 2:
        raise RecursionError(model)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or field.blank:
            if not (isinstance(field, models.ForeignKey) and field.related_model is Case):
                continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[field.name] = _fill_value(field, world, depth)
    with transaction.atomic():
        return model._default_manager.create(**values)


def object_for(kwarg: str, world: World) -> tuple[int | None, bool]:
    """An id for the kwarg and whether it belongs to the target case. (None, _) = cannot fill."""
    if kwarg in world.objects:
        return world.objects[kwarg], True
    if kwarg in world.unrelated:
        return world.unrelated[kwarg], False
    wanted = kwarg.removesuffix("_id").replace("_", "")
    candidates = [
        m
        for m in apps.get_models()
        if wanted in m._meta.model_name and not m._meta.model_name.startswith("historical")
    ]
    candidates.sort(key=lambda m: (_case_fk(m) is None, len(m._meta.model_name)))
    for model in candidates:
        case_fk = _case_fk(model)
        rows = model._default_manager.all()
        if case_fk:
            rows = rows.filter(**{case_fk: world.case})
        row = rows.first()
        if row is None:
            try:
                row = _create(model, world)
            except Exception:  # noqa: S112 - try the next candidate, report if none works
                continue
        # Remember objects of other cases' kind apart, so a second lookup is not "about the case".
        (world.objects if case_fk else world.unrelated)[kwarg] = row.pk
        return row.pk, bool(case_fk)
    return None, False


def build_url(route: str, world: World, unfilled: list[str]) -> tuple[str, bool]:
    """The path for a route, and whether it is about the target case."""
    about_case = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal about_case
        pk, tied = object_for(match["name"], world)
        if pk is None:
            unfilled.append(f"{route} ({match['name']})")
            return str(MISSING_ID)
        about_case = about_case or tied
        return str(pk)

    path = "/" + KWARG.sub(substitute, route).lstrip("^").rstrip("$")
    return path, about_case


@pytest.fixture
def world(cast) -> World:
    case = cast.case
    person = case.person
    person.identity_number = PNR
    person.identity_index = blind_index(PNR)
    person.save()
    ProtectedDetails.objects.create(person=person, address=ADDRESS, code_word=CODE_WORD)
    users = {
        name: getattr(cast, name)
        for name in [
            "case_worker",
            "unit_manager",
            "housing_support",
            "colleague",
            "other_district_worker",
            "other_district_manager",
            "administrator",
        ]
    }
    users["emergency_active"] = staff_member(Role.WORKER, cast.rinkeby, username="em_active")
    users["emergency_expired"] = staff_member(Role.WORKER, cast.rinkeby, username="em_expired")
    users["statistician"] = staff_member(Role.STATISTICIAN, None, username="statistician")
    users["partner"] = staff_member(Role.PARTNER, None, username="partner")
    users["network"] = staff_member(Role.NETWORK, None, username="network")
    active = EmergencyAccess.objects.create(
        user=users["emergency_active"], case=case, reason="Matristest med aktiv nödåtkomst"
    )
    EmergencyAccess.objects.create(
        user=users["emergency_expired"],
        case=case,
        reason="Matristest med utgången nödåtkomst",
        started_at=timezone.now() - datetime.timedelta(hours=8),
        expires_at=timezone.now() - datetime.timedelta(hours=4),
    )
    access_request = AccessRequest.objects.create(
        case=case, person=person, requested_by=users["housing_support"], reason="r" * 25
    )
    partner_objects, partner_unrelated = partner_world(case, users)
    objects = {
        **partner_objects,
        "case_id": case.pk,
        "person_id": person.pk,
        "access_id": active.pk,
        "request_id": access_request.pk,
    }
    # The case holds a flat of its unit: the flat's pages are the unit's inventory (not the
    # case's), but its address must never reach anyone but the tenancy's team and managers.
    flat = Flat.objects.create(
        district=cast.sodermalm.administration,
        holding_unit=cast.sodermalm,
        kind="transitional",
        label="GB-MATRIS",
        landlord="SHIS Bostäder",
        available_from=timezone.localdate(),
        address=FLAT_ADDRESS,
    )
    decision = Intervention.objects.create(
        case=case, type=InterventionType.objects.get(name="Genomgångsbostad (SHIS)"), area="housing"
    )
    ProtectedHousingStay.objects.create(case=case, provider=SHELTER, started_on=case.opened_on)
    Intervention.objects.create(
        case=case,
        type=InterventionType.objects.get(name="Jourlägenhet"),
        area="housing",
        provider=SHELTER,
        actor_kind="staff",
        actor_user=cast.housing_support,
    )
    Task.objects.create(
        case=case,
        area="safety",
        title="Säkerhetsplan med boendet",
        actor_kind="organisation",
        actor_organisation=SHELTER,
    )
    allocation = Allocation.objects.create(
        flat=flat, case=case, intervention=decision, starts_on=timezone.localdate()
    )
    objects["allocation_id"] = allocation.pk
    colleague = users["colleague"]
    unrelated = {
        **partner_unrelated,
        "user_id": colleague.pk,
        "membership_id": colleague.memberships.get().pk,
        "flat_id": flat.pk,
        # A team of the owning unit ("team" would otherwise match the case team's rows).
        "team_id": Team.objects.create(unit=cast.sodermalm, name="Matristeamet").pk,
        "assignment_id": BudgetAssignment.objects.create(
            title="Matrisuppdrag", responsible_unit=cast.sodermalm
        ).pk,
        # A worker role in the case's unit, waiting for the unit manager's approval; the
        # account would still see no case if it were approved (not on the team).
        "role_request_id": RoleRequest.objects.create(
            user=staff_member(Role.STATISTICIAN, None, username="role_candidate"),
            role=Role.WORKER,
            unit=cast.sodermalm,
            requested_by=users["administrator"],
        ).pk,
    }
    return World(case=case, person=person, users=users, objects=objects, unrelated=unrelated)


def request(client: Client, method: str, path: str) -> tuple[int, str]:
    try:
        response = getattr(client, method)(path)
    except Exception as exc:  # a 500 in the view: reported, never a pass
        return 500, f"{type(exc).__name__}: {exc}"
    return response.status_code, response.content.decode(errors="replace")


def secrets(world: World) -> list[str]:
    return [
        world.person.full_name,
        PNR,
        PNR[:8] + "-" + PNR[8:],
        ADDRESS,
        CODE_WORD,
        FLAT_ADDRESS,
        SHELTER,
    ]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_outsider_gets_not_found_on_every_case_url_and_sees_the_person_nowhere(world, persona):
    client = signed_in(world.users[persona])
    leaks, unfilled = [], []
    for route, name in ROUTES:
        path, about_case = build_url(route, world, unfilled)
        for method in ("get", "post"):
            status, body = request(client, method, path)
            if status >= 500:
                leaks.append(f"{method.upper()} {path} [{name}] -> {status} {body[:200]}")
            elif about_case and status not in (404, 405):
                leaks.append(f"{method.upper()} {path} [{name}] -> {status}, expected 404")
            shown = [s for s in secrets(world) if s in body]
            if shown:
                leaks.append(f"{method.upper()} {path} [{name}] shows {shown}")
    _report(unfilled)
    assert leaks == []
    assert checked_case_urls(world) >= 5  # the walk really reached case URLs


@pytest.mark.parametrize("persona", INSIDERS)
def test_an_insider_gets_pages_or_not_found_and_protected_details_only_when_revealing(
    world, persona
):
    client = signed_in(world.users[persona])
    problems, unfilled, opened, revealed, shelter_shown = [], [], [], [], []
    for route, name in ROUTES:
        path, about_case = build_url(route, world, unfilled)
        status, body = request(client, "get", path)
        if status >= 500:
            problems.append(f"GET {path} [{name}] -> {status} {body[:200]}")
        elif status not in (200, 201, 204, 301, 302, 303, 404, 405):
            problems.append(f"GET {path} [{name}] -> {status}")
        if about_case and status == 200:
            opened.append(name)
        revealing = persona in MAY_REVEAL and name.split(":")[-1] in REVEAL_PAGES
        shown = [s for s in (ADDRESS, CODE_WORD) if s in body]
        if shown and not revealing:
            problems.append(f"GET {path} [{name}] shows protected {shown}")
        if shown and revealing:
            revealed.append(name)
        if FLAT_ADDRESS in body and name.split(":")[-1] != "flat_address":
            problems.append(f"GET {path} [{name}] shows the flat's address")
        if SHELTER in body:
            shelter_shown.append(name)
            if persona not in MAY_SEE_SHELTER:
                problems.append(f"GET {path} [{name}] shows the shelter's name")
    _report(unfilled)
    assert problems == []
    assert "case_detail" in opened
    # The shelter check is live: those who may change the case read it on the case page.
    assert ("case_detail" in shelter_shown) == (persona in MAY_SEE_SHELTER)
    # The check for protected values is live: the one who may reveal does see them there.
    assert bool(revealed) == (persona in MAY_REVEAL)


def test_the_partner_of_the_referred_organisation_reaches_only_its_referral(world):
    client = signed_in(world.users["partner_own_org"])
    problems, unfilled, opened = [], [], []
    for route, name in ROUTES:
        path, about_case = build_url(route, world, unfilled)
        status, body = request(client, "get", path)
        if status >= 500:
            problems.append(f"GET {path} [{name}] -> {status} {body[:200]}")
        elif about_case and status not in (404, 405) and name not in PARTNER_OWN_PAGES:
            problems.append(f"GET {path} [{name}] -> {status}, expected 404")
        if status == 200 and about_case:
            opened.append(name)
        shown = [s for s in secrets(world) if s in body]
        if shown:
            problems.append(f"GET {path} [{name}] shows {shown}")
    assert problems == []
    # The walk is live: the partner does open their own referral, with the first name only.
    assert opened == ["portal_referral"]
    page = client.get(f"/partner/formedlingar/{world.objects['referral_id']}/")
    assert world.person.first_name in page.content.decode()


# Once the person's consent no longer holds, the partner's own referral page says only that,
# and every other URL, GET or POST (accepting, declining, feedback), is "does not exist".
@pytest.mark.parametrize(
    ("ending", "word"),
    [("withdrawn", "Återkallat"), ("expired", "Samtycket gäller inte längre")],
)
def test_without_consent_the_partner_reaches_nothing_of_the_person(world, ending, word):
    consent = Consent.objects.get(pk=world.objects["consent_id"])
    if ending == "withdrawn":
        withdraw_consent(fake_request(world.users["case_worker"]), consent)
    else:
        consent.valid_from = timezone.localdate() - datetime.timedelta(days=60)
        consent.valid_to = timezone.localdate() - datetime.timedelta(days=1)
        consent.save()
    client = signed_in(world.users["partner_own_org"])
    hidden = [*secrets(world), world.person.first_name, "Matrisens sammanfattning"]
    problems, unfilled, opened = [], [], []
    for route, name in ROUTES:
        path, about_case = build_url(route, world, unfilled)
        for method in ("get", "post"):
            status, body = request(client, method, path)
            if status >= 500:
                problems.append(f"{method.upper()} {path} [{name}] -> {status} {body[:200]}")
            elif about_case and status not in (404, 405):
                if (method, name) == ("get", "portal_referral") and status == 200:
                    opened.append(word in body)
                else:
                    problems.append(f"{method.upper()} {path} [{name}] -> {status}")
            shown = [s for s in hidden if s in body]
            if shown:
                problems.append(f"{method.upper()} {path} [{name}] shows {shown}")
    assert problems == []
    # The walk is live: the partner does reach the referral page, and it says why it is empty.
    assert opened == [True]
    listing = client.get("/partner/").content.decode()
    assert word in listing and world.person.first_name not in listing


# What someone acting in part on a case (housing support) may open: her part of the case page,
# her own tasks, her notes, and the masked protected details with the request for a grant.
PART_PAGES = {
    "case_detail",
    "protected_details",
    "request_protected_access",
    "task_done",
    "task_take",
    "task_hand_back",
    "implementation_note_new",
}


def test_housing_support_acting_in_part_gets_not_found_outside_her_part(world):
    client = signed_in(world.users["housing_support"])
    wrong, unfilled, opened = [], [], []
    for route, name in ROUTES:
        path, about_case = build_url(route, world, unfilled)
        short = name.split(":")[-1]
        if not about_case:
            continue
        for method in ("get", "post"):
            status, body = request(client, method, path)
            if status >= 500:
                wrong.append(f"{method.upper()} {path} [{name}] -> {status} {body[:200]}")
            elif short not in PART_PAGES and status not in (404, 405):
                wrong.append(f"{method.upper()} {path} [{name}] -> {status}, expected 404")
            elif short in PART_PAGES and method == "get" and status == 200:
                opened.append(short)
            if PNR in body or ADDRESS in body:
                wrong.append(f"{method.upper()} {path} [{name}] shows the personnummer or address")
    assert wrong == []
    assert {"case_detail", "implementation_note_new"} <= set(opened)


def test_a_signed_out_visitor_is_sent_to_login_from_every_url(world, client):
    unfilled, wrong = [], []
    for route, name in ROUTES:
        path, _ = build_url(route, world, unfilled)
        status, body = request(client, "get", path)
        if status != 302 or any(s in body for s in secrets(world)):
            wrong.append(f"{path} [{name}] -> {status}")
    assert wrong == []


def test_the_matrix_covers_the_case_urls_it_knows_of():
    names = {name.split(":")[-1] for _, name in ROUTES}
    assert {"case_detail", "protected_details", "emergency_access", "emergency_review"} <= names


def checked_case_urls(world: World) -> int:
    return sum(build_url(route, world, [])[1] for route, _ in ROUTES)


def _report(unfilled: list[str]) -> None:
    if unfilled:
        warnings.warn(
            "access matrix could not fill: " + ", ".join(sorted(set(unfilled))), stacklevel=2
        )


STATISTICS_URLS = [
    "/statistik/",
    "/statistik/rapport.pdf",
    "/statistik/rapport.xlsx",
    "/statistik/rapport.csv",
]


@pytest.mark.parametrize("persona", INSIDERS + OUTSIDERS)
def test_only_the_statistician_opens_the_statistics_pages_and_they_show_no_person(world, persona):
    client = signed_in(world.users[persona])
    expected = 200 if persona == "statistician" else 404
    wrong = []
    for path in STATISTICS_URLS:
        status, body = request(client, "get", path)
        if status != expected:
            wrong.append(f"{path} -> {status}, expected {expected}")
        shown = [s for s in secrets(world) if s in body]
        if shown:
            wrong.append(f"{path} shows {shown}")
    assert wrong == []
