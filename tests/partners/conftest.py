"""Partners' tests: two organisations with a partner user each, consents and referrals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import RequestFactory
from django.utils import timezone

from brygga.cases.models import Case
from brygga.organisation.models import Administration, Role, User
from brygga.partners.models import (
    Consent,
    ContactPerson,
    GivenHow,
    Offer,
    OfferKind,
    Organisation,
    PartnerUser,
    Referral,
)
from brygga.people.models import ProtectedDetails
from brygga.support.areas import NeedArea
from tests.factories import staff_member

DAY = datetime.timedelta(days=1)
ADDRESS = "Hemliga gatan 7, 123 45 Gömstad"
PHONE = "070-111 22 33"
SUMMARY = "Vill träffa andra i samma situation och öva svenska."


def today() -> datetime.date:
    return timezone.localdate()


def organisation(name: str, **kwargs: object) -> Organisation:
    org = Organisation.objects.create(name=name, languages=kwargs.pop("languages", "svenska"))
    for kind, area in kwargs.pop("offers", [(OfferKind.MENTORING, NeedArea.SOCIAL)]):  # type: ignore[attr-defined]
        Offer.objects.create(organisation=org, kind=kind, area=area)
    return org


def partner_user(org: Organisation, username: str) -> User:
    user = staff_member(Role.PARTNER, None, username=username, first_name="Partner")
    PartnerUser.objects.create(user=user, organisation=org)
    return user


def consent(case: Case, org: Organisation, by: User, **kwargs: object) -> Consent:
    values: dict[str, object] = {
        "purpose": "Mentorprogram",
        "share_first_name": True,
        "share_summary": True,
        "summary": SUMMARY,
        "share_need_areas": True,
        "need_areas": [NeedArea.SOCIAL],
        "given_how": GivenHow.WRITTEN,
        "valid_from": today() - DAY,
        "valid_to": today() + 180 * DAY,
    }
    values.update(kwargs)
    return Consent.objects.create(
        case=case, person=case.person, organisation=org, recorded_by=by, **values
    )


def referral(case: Case, given: Consent, by: User, **kwargs: object) -> Referral:
    return Referral.objects.create(
        case=case, organisation=given.organisation, consent=given, sent_by=by, **kwargs
    )


def contact_person(**kwargs: object) -> ContactPerson:
    district = Administration.objects.first()
    values: dict[str, object] = {
        "first_name": "Karin",
        "last_name": "Frivillig",
        "gender": "woman",
        "district": district,
        "record_extract_checked_on": today() - 30 * DAY,
        "languages": "svenska, arabiska",
    }
    values.update(kwargs)
    return ContactPerson.objects.create(**values)


@dataclass
class Partners:
    mentors: Organisation
    cafe: Organisation
    mentor_partner: User
    cafe_partner: User
    coordinator: User
    consent: Consent
    referral: Referral


@pytest.fixture
def partners(cast) -> Partners:
    """The case's person has consented to the mentoring organisation and been referred to it;
    the language café is another organisation with its own partner user."""
    ProtectedDetails.objects.create(person=cast.case.person, address=ADDRESS, phone=PHONE)
    mentors = organisation("Mentorer för kvinnor (fiktiv)")
    cafe = organisation(
        "Språkcafé Söder (fiktiv)", offers=[(OfferKind.LANGUAGE_CAFE, NeedArea.SOCIAL)]
    )
    given = consent(cast.case, mentors, cast.case_worker)
    return Partners(
        mentors=mentors,
        cafe=cafe,
        mentor_partner=partner_user(mentors, "mentor_partner"),
        cafe_partner=partner_user(cafe, "cafe_partner"),
        coordinator=staff_member(Role.CONTACT_COORDINATOR, cast.sodermalm, username="kp_samordn"),
        consent=given,
        referral=referral(cast.case, given, cast.case_worker),
    )


def fake_request(user: User):
    request = RequestFactory().post("/")
    request.user = user
    return request


def partner_world(case: Case, users: dict[str, User]) -> tuple[dict[str, int], dict[str, int]]:
    """For the access matrix: a consent, a referral and a contact assignment for the case,
    and two partner personas, one of the referred organisation and one of another."""
    from brygga.partners.models import ContactAssignment

    own = organisation("Matrisföreningen (fiktiv)")
    other = organisation("Annan förening (fiktiv)")
    users["partner_own_org"] = partner_user(own, "partner_own_org")
    users["partner_other_org"] = partner_user(other, "partner_other_org")
    worker = users["case_worker"]
    given = consent(case, own, worker, summary="Matrisens sammanfattning")
    sent = referral(case, given, worker)
    volunteer = contact_person()
    for_volunteer = Consent.objects.create(
        case=case,
        person=case.person,
        contact_person=volunteer,
        recorded_by=worker,
        purpose="Kontaktperson",
        given_how=GivenHow.ORAL,
        valid_from=today(),
        valid_to=today() + 30 * DAY,
    )
    assignment = ContactAssignment.objects.create(
        case=case,
        contact_person=volunteer,
        consent=for_volunteer,
        starts_on=today(),
        ends_on=today() + 30 * DAY,
        assigned_by=worker,
    )
    about_case = {
        "consent_id": given.pk,
        "referral_id": sent.pk,
        "contact_assignment_id": assignment.pk,
    }
    unrelated = {"organisation_id": own.pk, "contact_person_id": volunteer.pk}
    return about_case, unrelated
