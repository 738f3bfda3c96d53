"""Demo partners: a dozen fictional organisations across districts, consents, referrals in
every state, two partner logins and a register of contact persons. All labelled fictional."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from brygga.cases.models import Case, Phase
from brygga.lib.demo_world import DEMO_PASSWORD, DemoWorld
from brygga.organisation.models import Administration, Membership, Role, User
from brygga.partners.models import (
    OFFER_AREAS,
    Consent,
    ContactAssignment,
    ContactPerson,
    Cooperation,
    FeedbackKind,
    GivenHow,
    Offer,
    Organisation,
    PartnerUser,
    Referral,
    ReferralFeedback,
    ReferralStatus,
)
from brygga.people.models import Gender
from brygga.support.areas import NeedArea
from brygga.support.models import Intervention

DAY = datetime.timedelta(days=1)
# name, offers, target groups, languages, district slugs (empty: the whole city), cooperation
ORGANISATIONS: list[tuple[str, list[str], list[str], str, list[str], str]] = [
    (
        "Systerskapet Mentorer",
        ["mentoring", "network"],
        ["women", "young_adults"],
        "svenska, arabiska, somaliska",
        [],
        Cooperation.IOP,
    ),
    (
        "Språkcafé Söder",
        ["language_cafe"],
        ["women", "men"],
        "svenska",
        ["sodermalm", "enskede"],
        Cooperation.GRANT,
    ),
    (
        "Juristjouren Norr",
        ["legal_advice"],
        ["women", "men", "lgbtq"],
        "svenska, engelska, persiska",
        ["norrmalm", "kungsholmen"],
        Cooperation.GRANT,
    ),
    (
        "Kvinnojouren Linden",
        ["protected_housing", "counselling"],
        ["women", "parents"],
        "svenska, arabiska, kurdiska",
        [],
        Cooperation.PROCUREMENT,
    ),
    (
        "Jobbspåret Järva",
        ["employment"],
        ["women", "men", "young_adults"],
        "svenska, somaliska, tigrinja",
        ["rinkeby", "spanga"],
        Cooperation.IOP,
    ),
    (
        "Regnbågsnätverket",
        ["lgbtq", "network"],
        ["lgbtq", "young_adults"],
        "svenska, engelska",
        [],
        Cooperation.GRANT,
    ),
    (
        "Bröder emellan",
        ["men", "counselling"],
        ["men"],
        "svenska, arabiska, dari",
        ["hasselby", "bromma"],
        Cooperation.GRANT,
    ),
    (
        "Vänskapsbron Söderort",
        ["network", "mentoring"],
        ["women", "parents"],
        "svenska, turkiska",
        ["farsta", "skarpnack", "alvsjo"],
        Cooperation.IOP,
    ),
    (
        "Nya steg till arbete",
        ["employment", "mentoring"],
        ["women"],
        "svenska, arabiska, persiska",
        ["skarholmen", "hagersten"],
        Cooperation.PROCUREMENT,
    ),
    (
        "Trygga rum Östermalm",
        ["counselling"],
        ["women", "lgbtq"],
        "svenska, engelska",
        ["ostermalm"],
        Cooperation.NONE,
    ),
    (
        "Föreningen Framtidsvägen",
        ["network", "language_cafe"],
        ["young_adults"],
        "svenska, dari, pashto",
        ["rinkeby", "hasselby"],
        Cooperation.GRANT,
    ),
    (
        "Mödrar i Mälardalen",
        ["network"],
        ["parents", "women"],
        "svenska, somaliska",
        [],
        Cooperation.NONE,
    ),
]
SUMMARIES = [
    "Vill träffa andra i liknande situation och öva svenska.",
    "Söker stöd att komma ut i arbete; har tidigare arbetat inom vården.",
    "Vill ha en mentor att prata med om vardagen.",
]
# The states shown on the demo referrals, in order, so every one appears.
STATES = [
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ACTIVE,
    ReferralStatus.COMPLETED,
    ReferralStatus.DECLINED,
    ReferralStatus.ENDED_EARLY,
    ReferralStatus.SENT,
    ReferralStatus.ACTIVE,
]
CASES_WITH_REFERRALS = 48


def _organisations(districts: dict[str, Administration]) -> list[Organisation]:
    made = []
    for name, offers, groups, languages, slugs, cooperation in ORGANISATIONS:
        org = Organisation.objects.create(
            name=f"{name} (fiktiv)",
            description="Fiktiv organisation i demodata.",
            target_groups=groups,
            languages=languages,
            cooperation=cooperation,
            contact_name="Kontakt (fiktiv)",
            contact_email=f"kontakt@{name.split()[0].lower()}.example",
        )
        org.districts.set([districts[s] for s in slugs if s in districts])
        Offer.objects.bulk_create(
            [Offer(organisation=org, kind=k, area=OFFER_AREAS[k]) for k in offers]
        )
        made.append(org)
    return made


def _approved(world: DemoWorld) -> dict[str, Any]:
    """The partner role needs a second person's approval; the demo's synthetic approver gave it."""
    return {"approved_by_id": world.approver_id, "approved_at": timezone.now()}


def _partner_logins(world: DemoWorld, organisations: list[Organisation]) -> None:
    first = User.objects.filter(username="partner.demo").first()
    if first is None:
        first = User.objects.create(
            username="partner.demo", password=make_password(DEMO_PASSWORD), is_demo=True
        )
        Membership.objects.create(user=first, role=Role.PARTNER, **_approved(world))
    second = User.objects.create(
        username="partner2.demo",
        first_name=world.faker.first_name_female(),
        last_name=world.faker.last_name(),
        password=first.password,
        is_demo=True,
    )
    Membership.objects.create(user=second, role=Role.PARTNER, **_approved(world))
    PartnerUser.objects.create(user=first, organisation=organisations[0])
    PartnerUser.objects.create(user=second, organisation=organisations[1])
    world.logins += [
        ("partner.demo", f"partner, {organisations[0].name}"),
        ("partner2.demo", f"partner, {organisations[1].name}"),
    ]


def _contact_persons(world: DemoWorld, districts: list[Administration]) -> list[ContactPerson]:
    rng, fake = world.rng, world.faker
    people = []
    for i in range(14):
        female = rng.random() < 0.7
        people.append(
            ContactPerson(
                first_name=fake.first_name_female() if female else fake.first_name_male(),
                last_name=fake.last_name() + " (fiktiv)",
                gender=Gender.WOMAN if female else Gender.MAN,
                languages=rng.choice(
                    [
                        "svenska",
                        "svenska, arabiska",
                        "svenska, somaliska",
                        "svenska, persiska",
                        "svenska, engelska",
                    ]
                ),
                district=districts[i % len(districts)],
                availability=rng.choice(["Kvällar", "Helger", "Dagtid vardagar"]),
                record_extract_checked_on=world.today - rng.randint(10, 300) * DAY,
                active=i != 13,
            )
        )
    return ContactPerson.objects.bulk_create(people)


def build(world: DemoWorld) -> None:
    if not world.districts:
        return
    rng = random.Random(world.rng.random())  # noqa: S311 - synthetic data
    districts = {d.slug: d.unit.administration for d in world.districts}
    organisations = _organisations(districts)
    _partner_logins(world, organisations)
    volunteers = _contact_persons(world, list(districts.values()))
    # Södermalm first, so the demo worker there sees consents and referrals on their cases.
    sodermalm = next((d for d in world.districts if d.slug == "sodermalm"), world.districts[0])
    cases = list(
        Case.objects.exclude(phase=Phase.CLOSED)
        .filter(owning_unit=sodermalm.unit)
        .select_related("person")
        .order_by("pk")[: CASES_WITH_REFERRALS // 2]
    ) + list(
        Case.objects.exclude(phase=Phase.CLOSED)
        .exclude(owning_unit=sodermalm.unit)
        .select_related("person")
        .order_by("pk")[: CASES_WITH_REFERRALS // 2]
    )
    workers = {d.unit.pk: d.workers[0] for d in world.districts}
    mentor_plans = {
        i.case_id: i
        for i in Intervention.objects.filter(case__in=cases, area=NeedArea.SOCIAL).order_by("pk")
    }
    for n, case in enumerate(cases):
        worker = workers[case.owning_unit_id]
        # The two partner organisations get most referrals so both partner logins see some.
        org = organisations[n % 2] if n % 3 else organisations[rng.randrange(len(organisations))]
        sent_on = world.today - rng.randint(3, 200) * DAY
        consent = Consent.objects.create(
            case=case,
            person=case.person,
            organisation=org,
            purpose="Stöd mot isolering (demo)",
            share_first_name=True,
            share_need_areas=True,
            need_areas=[NeedArea.SOCIAL],
            share_summary=True,
            summary=rng.choice(SUMMARIES),
            share_contact_channel=rng.random() < 0.5,
            contact_channel="Via socialsekreteraren",
            given_how=rng.choice([GivenHow.WRITTEN, GivenHow.ORAL]),
            recorded_by=worker,
            valid_from=sent_on - DAY,
            valid_to=sent_on + 365 * DAY,
        )
        if n % 11 == 10:
            consent.withdrawn_at = consent.recorded_at
            consent.withdrawn_by = worker
            consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        status = STATES[n % len(STATES)]
        referral = Referral.objects.create(
            case=case,
            organisation=org,
            consent=consent,
            intervention=mentor_plans.get(case.pk),
            status=status,
            sent_on=sent_on,
            sent_by=worker,
            answered_on=None if status == ReferralStatus.SENT else sent_on + 4 * DAY,
            decline_reason="Fullt i gruppen just nu (demo)."
            if status == ReferralStatus.DECLINED
            else "",
            first_contact_on=sent_on + rng.randint(5, 20) * DAY
            if status not in (ReferralStatus.SENT, ReferralStatus.DECLINED)
            else None,
            ended_on=sent_on + 60 * DAY
            if status in (ReferralStatus.COMPLETED, ReferralStatus.ENDED_EARLY)
            else None,
        )
        if status in (ReferralStatus.ACTIVE, ReferralStatus.COMPLETED):
            partner = (
                PartnerUser.objects.filter(organisation=org)
                .values_list("user_id", flat=True)
                .first()
            )
            ReferralFeedback.objects.create(
                referral=referral,
                kind=FeedbackKind.ATTENDED,
                note="Har varit med på träffarna (demo).",
                given_by_id=partner or worker.pk,
            )
        if n % 6 == 0:
            volunteer = volunteers[n % len(volunteers)]
            for_volunteer = Consent.objects.create(
                case=case,
                person=case.person,
                contact_person=volunteer,
                purpose="Kontaktperson (demo)",
                share_first_name=True,
                given_how=GivenHow.WRITTEN,
                recorded_by=worker,
                valid_from=sent_on,
                valid_to=sent_on + 365 * DAY,
            )
            ContactAssignment.objects.create(
                case=case,
                contact_person=volunteer,
                consent=for_volunteer,
                starts_on=sent_on,
                ends_on=sent_on + 180 * DAY,
                follow_up_on=sent_on + 90 * DAY,
                assigned_by=worker,
            )
