"""The directory, contact-person and assignment forms: good input is saved and audited; bad
input gets a Swedish message at its field, and nothing is saved, not even in part."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.cases.models import CaseTeamMember, TeamRole
from brygga.partners.models import (
    Consent,
    ContactAssignment,
    ContactPerson,
    GivenHow,
    Offer,
    Organisation,
)
from tests.conftest import signed_in
from tests.partners.conftest import DAY, contact_person, today
from tests.support.conftest import intervention

pytestmark = pytest.mark.django_db
HUGE = "x" * 5000


def organisation_data(cast, **overrides):
    data = {
        "name": "Språkvänner Söder (fiktiv)",
        "description": "Samtal på svenska varje vecka.",
        "offer_kinds": ["language_cafe", "mentoring"],
        "languages": "svenska, dari",
        "districts": [cast.sodermalm.administration.pk],
        "cooperation": "grant",
        "contact_email": "info@example.org",
        "website": "https://example.org",
        "active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_adds_an_organisation_with_its_offers_and_it_is_audited(cast, partners):
    response = signed_in(partners.coordinator).post(
        reverse("partners:organisation_new"), organisation_data(cast)
    )
    assert response.status_code == 302
    saved = Organisation.objects.get(name="Språkvänner Söder (fiktiv)")
    assert sorted(o.kind for o in saved.offers.all()) == ["language_cafe", "mentoring"]
    assert list(saved.districts.all()) == [cast.sodermalm.administration]
    assert AuditEvent.objects.filter(object_id=str(saved.pk), user_id=partners.coordinator.pk)


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("name", {"name": ""}, "Fyll i fältet."),
        ("name", {"name": HUGE}, "högst 200 tecken"),
        ("name", {"name": "Mentorer för kvinnor (fiktiv)"}, "Det finns redan en organisation"),
        ("name", {"name": "MENTORER FÖR KVINNOR (fiktiv) "}, "Det finns redan en organisation"),
        ("description", {"description": HUGE}, "högst 2000 tecken"),
        ("offer_kinds", {"offer_kinds": None}, "Välj minst ett erbjudande."),
        ("offer_kinds", {"offer_kinds": ["flygande mattor"]}, "Välj erbjudanden i listan."),
        ("districts", {"districts": ["99999999"]}, "Välj stadsdelar i listan."),
        ("districts", {"districts": ["Söder"]}, "Välj stadsdelar i listan."),
        ("cooperation", {"cooperation": "mutor"}, "Välj en samverkansform i listan."),
        ("contact_email", {"contact_email": "inte-en-adress"}, "Ange en giltig e-postadress."),
        ("website", {"website": "javascript:alert(1)"}, "Ange en giltig webbadress"),
    ],
)
def test_bad_organisation_input_is_refused_at_the_field_and_nothing_is_saved(
    cast, partners, field, overrides, message
):
    organisations, offers = Organisation.objects.count(), Offer.objects.count()
    response = signed_in(partners.coordinator).post(
        reverse("partners:organisation_new"), organisation_data(cast, **overrides)
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field]), response.context[
        "form"
    ].errors
    assert message in response.content.decode()
    assert (Organisation.objects.count(), Offer.objects.count()) == (organisations, offers)


def test_a_bad_edit_leaves_the_organisation_and_its_offers_as_they_were(cast, partners):
    url = reverse("partners:organisation_edit", args=[partners.mentors.pk])
    data = organisation_data(cast, name=partners.mentors.name, offer_kinds=["legal_advice"])
    data["contact_email"] = "trasig@"
    response = signed_in(partners.coordinator).post(url, data)
    assert "Ange en giltig e-postadress." in response.content.decode()
    partners.mentors.refresh_from_db()
    assert [o.kind for o in partners.mentors.offers.all()] == ["mentoring"]
    assert partners.mentors.languages == "svenska"


def test_a_case_worker_cannot_edit_the_directory(cast, partners):
    url = reverse("partners:organisation_new")
    assert signed_in(cast.case_worker).post(url, organisation_data(cast)).status_code == 404
    assert signed_in(partners.coordinator).get(url).status_code == 200
    assert not Organisation.objects.filter(name="Språkvänner Söder (fiktiv)").exists()


# --- Contact persons.


def contact_person_data(cast, **overrides):
    data = {
        "first_name": "Leila",
        "last_name": "Volontär",
        "gender": "woman",
        "languages": "svenska, persiska",
        "district": cast.sodermalm.administration.pk,
        "availability": "Kvällar och helger",
        "record_extract_checked_on": (today() - 10 * DAY).isoformat(),
        "active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_registers_a_contact_person_and_it_is_audited(cast, partners):
    response = signed_in(partners.coordinator).post(
        reverse("partners:contact_person_new"), contact_person_data(cast)
    )
    assert response.status_code == 302
    saved = ContactPerson.objects.get(last_name="Volontär")
    assert saved.record_extract_checked_on == today() - 10 * DAY
    assert saved.district == cast.sodermalm.administration
    assert AuditEvent.objects.filter(object_id=str(saved.pk), user_id=partners.coordinator.pk)
    page = signed_in(partners.coordinator).get(reverse("partners:contact_persons"))
    assert "Volontär" in page.content.decode()


def test_the_coordinator_edits_a_contact_person(cast, partners):
    volunteer = contact_person()
    url = reverse("partners:contact_person_edit", args=[volunteer.pk])
    data = contact_person_data(cast, first_name="Karin", last_name="Frivillig", version="1")
    data["availability"] = "Bara lördagar"
    assert signed_in(partners.coordinator).post(url, data).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.availability == "Bara lördagar"


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("first_name", {"first_name": ""}, "Fyll i fältet."),
        ("last_name", {"last_name": HUGE}, "högst 100 tecken"),
        ("gender", {"gender": None}, "Välj kön."),
        ("gender", {"gender": "drake"}, "Välj kön i listan."),
        ("district", {"district": "99999999"}, "Välj en stadsdel i listan."),
        ("availability", {"availability": HUGE}, "högst 300 tecken"),
        ("record_extract_checked_on", {"record_extract_checked_on": "2026-13-01"}, "ÅÅÅÅ-MM-DD"),
        (
            "record_extract_checked_on",
            {"record_extract_checked_on": (today() + 3 * DAY).isoformat()},
            "Datumet kan inte ligga i framtiden.",
        ),
        (
            "record_extract_checked_on",
            {"record_extract_checked_on": "1890-01-01"},
            "mellan år 2000 och 2100",
        ),
    ],
)
def test_bad_contact_person_input_is_refused_at_the_field_and_nothing_is_saved(
    cast, partners, field, overrides, message
):
    before = ContactPerson.objects.count()
    response = signed_in(partners.coordinator).post(
        reverse("partners:contact_person_new"), contact_person_data(cast, **overrides)
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert ContactPerson.objects.count() == before


def test_the_contact_person_register_runs_a_constant_number_of_queries(
    partners, django_assert_max_num_queries
):
    client = signed_in(partners.coordinator)
    contact_person()
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("partners:contact_persons"))
    for i in range(5):
        contact_person(last_name=f"Frivillig {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("partners:contact_persons")).status_code == 200


# --- Assignments from the case.


@pytest.fixture
def volunteer_consent(cast, partners):
    volunteer = contact_person()
    return Consent.objects.create(
        case=cast.case,
        person=cast.case.person,
        contact_person=volunteer,
        recorded_by=cast.case_worker,
        purpose="Kontaktperson mot ensamhet",
        given_how=GivenHow.ORAL,
        valid_from=today() - DAY,
        valid_to=today() + 200 * DAY,
    )


def assignment_data(given, **overrides):
    data = {
        "consent": given.pk,
        "starts_on": today().isoformat(),
        "ends_on": (today() + 90 * DAY).isoformat(),
        "follow_up_on": (today() + 30 * DAY).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_worker_assigns_a_contact_person_and_ends_the_assignment(cast, volunteer_consent):
    client = signed_in(cast.case_worker)
    url = reverse("partners:assignment_new", args=[cast.case.pk])
    assert client.post(url, assignment_data(volunteer_consent)).status_code == 302
    assignment = ContactAssignment.objects.get(case=cast.case)
    assert assignment.contact_person == volunteer_consent.contact_person
    end = reverse("partners:assignment_end", args=[cast.case.pk, assignment.pk])
    response = client.post(end, {"ended_on": today().isoformat(), "end_reason": "Flyttat"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == today() and assignment.end_reason == "Flyttat"


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("consent", {"consent": None}, "Välj kontaktpersonen"),
        ("consent", {"consent": "99999999"}, "Samtycket gäller inte."),
        ("starts_on", {"starts_on": "igår"}, "ÅÅÅÅ-MM-DD"),
        ("ends_on", {"ends_on": (today() - 5 * DAY).isoformat()}, "kan inte sluta innan"),
        ("ends_on", {"ends_on": "2999-01-01"}, "mellan år 2000 och 2100"),
        ("intervention", {"intervention": "99999999"}, "Välj en insats i ärendets plan."),
    ],
)
def test_bad_assignment_input_is_refused_at_the_field_and_nothing_is_saved(
    cast, volunteer_consent, field, overrides, message
):
    response = signed_in(cast.case_worker).post(
        reverse("partners:assignment_new", args=[cast.case.pk]),
        assignment_data(volunteer_consent, **overrides),
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not ContactAssignment.objects.filter(case=cast.case).exists()


def test_a_withdrawn_consent_cannot_carry_an_assignment(cast, volunteer_consent):
    Consent.objects.filter(pk=volunteer_consent.pk).update(
        withdrawn_at=volunteer_consent.recorded_at
    )
    response = signed_in(cast.case_worker).post(
        reverse("partners:assignment_new", args=[cast.case.pk]), assignment_data(volunteer_consent)
    )
    assert "Samtycket gäller inte." in response.content.decode()
    assert not ContactAssignment.objects.filter(case=cast.case).exists()


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("ended_on", {"ended_on": (today() - 10 * DAY).isoformat()}, "innan det började"),
        ("end_reason", {"ended_on": today().isoformat(), "end_reason": ""}, "Fyll i fältet."),
        ("end_reason", {"ended_on": today().isoformat(), "end_reason": HUGE}, "högst 300"),
        ("ended_on", {"ended_on": "31/12", "end_reason": "Flyttat"}, "ÅÅÅÅ-MM-DD"),
    ],
)
def test_ending_an_assignment_with_bad_input_changes_nothing(
    cast, volunteer_consent, field, data, message
):
    assignment = ContactAssignment.objects.create(
        case=cast.case,
        contact_person=volunteer_consent.contact_person,
        consent=volunteer_consent,
        starts_on=today(),
        ends_on=today() + 30 * DAY,
        assigned_by=cast.case_worker,
    )
    data = {"end_reason": "Flyttat", **data}
    response = signed_in(cast.case_worker).post(
        reverse("partners:assignment_end", args=[cast.case.pk, assignment.pk]), data
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assignment.refresh_from_db()
    assert assignment.ended_on is None and assignment.end_reason == ""


def test_a_new_consent_and_a_new_assignment_start_today_by_default(cast, volunteer_consent):
    client = signed_in(cast.case_worker)
    consent_page = client.get(reverse("partners:consent_new", args=[cast.case.pk]))
    assignment_page = client.get(reverse("partners:assignment_new", args=[cast.case.pk]))
    assert consent_page.context["form"]["valid_from"].value() == today()
    assert assignment_page.context["form"]["starts_on"].value() == today()
    assert assignment_page.context["form"]["ends_on"].value() is None


def test_the_contact_person_coordinator_on_the_team_matches_from_the_plan(
    cast, partners, volunteer_consent
):
    CaseTeamMember.objects.create(
        case=cast.case, user=partners.coordinator, role=TeamRole.CONTACT_COORDINATOR
    )
    against_isolation = intervention(cast.case, "Kontaktperson", "planned")
    client = signed_in(partners.coordinator)
    url = reverse("partners:assignment_new", args=[cast.case.pk])
    data = assignment_data(volunteer_consent, intervention=against_isolation.pk)
    assert client.post(url, data).status_code == 302
    made = ContactAssignment.objects.get(case=cast.case)
    assert made.intervention == against_isolation
    assert made.follow_up_on == today() + 30 * DAY and made.assigned_by == partners.coordinator
    assert AuditEvent.objects.filter(object_id=str(made.pk), user_id=partners.coordinator.pk)
    end = reverse("partners:assignment_end", args=[cast.case.pk, made.pk])
    assert (
        client.post(end, {"ended_on": today().isoformat(), "end_reason": "Klar"}).status_code == 302
    )
    made.refresh_from_db()
    assert made.ended_on == today() and made.end_reason == "Klar"


def test_a_contact_person_coordinator_off_the_team_cannot_assign(cast, partners, volunteer_consent):
    url = reverse("partners:assignment_new", args=[cast.case.pk])
    refused = signed_in(partners.coordinator).post(url, assignment_data(volunteer_consent))
    assert refused.status_code == 404
    assert not ContactAssignment.objects.filter(case=cast.case).exists()
    # The case worker, who may change the case, can.
    allowed = signed_in(cast.case_worker).post(url, assignment_data(volunteer_consent))
    assert allowed.status_code == 302


def test_the_assignments_follow_up_is_recorded_shown_and_audited(cast, volunteer_consent):
    client = signed_in(cast.case_worker)
    client.post(
        reverse("partners:assignment_new", args=[cast.case.pk]), assignment_data(volunteer_consent)
    )
    assignment = ContactAssignment.objects.get(case=cast.case)
    url = reverse("partners:assignment_follow_up", args=[cast.case.pk, assignment.pk])
    note = "Träffas varje vecka, vill fortsätta."
    response = client.post(url, {"follow_up_on": today().isoformat(), "follow_up_note": note})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.follow_up_on, assignment.follow_up_note) == (today(), note)
    assert (
        AuditEvent.objects.filter(
            object_id=str(assignment.pk), detail__fields=["follow_up_on", "follow_up_note"]
        ).exists()
        or AuditEvent.objects.filter(object_id=str(assignment.pk)).count() >= 2
    )
    case_page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert note in case_page and "Följ upp" in case_page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"follow_up_on": "", "follow_up_note": "Bra"}, "Ange ett datum."),
        ({"follow_up_on": "2026-13-45", "follow_up_note": "Bra"}, "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"follow_up_on": "2020-01-01", "follow_up_note": "Bra"}, "innan uppdraget börjar"),
        ({"follow_up_on": "1850-01-01", "follow_up_note": "Bra"}, "mellan år 2000 och 2100"),
        ({"follow_up_on": "2030-01-01", "follow_up_note": ""}, "Fyll i fältet."),
        ({"follow_up_on": "2030-01-01", "follow_up_note": HUGE}, "högst 2000 tecken"),
    ],
)
def test_a_bad_follow_up_is_refused_at_the_field_and_nothing_is_saved(
    cast, volunteer_consent, data, field_message
):
    client = signed_in(cast.case_worker)
    client.post(
        reverse("partners:assignment_new", args=[cast.case.pk]), assignment_data(volunteer_consent)
    )
    assignment = ContactAssignment.objects.get(case=cast.case)
    url = reverse("partners:assignment_follow_up", args=[cast.case.pk, assignment.pk])
    page = client.post(url, data)
    assert page.status_code == 200
    assert field_message in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.follow_up_note == ""
