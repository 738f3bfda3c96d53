"""The partner portal: own organisation only, consented fields only, nothing after withdrawal."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.audit.extract import rows_for_person
from brygga.audit.models import Action, AuditEvent
from brygga.partners import services
from tests.conftest import signed_in
from tests.partners.conftest import ADDRESS, PHONE, SUMMARY, consent, fake_request, referral

pytestmark = pytest.mark.django_db


def portal_page(partners):
    return reverse("partners:portal_referral", args=[partners.referral.pk])


def test_the_partner_sees_the_consented_first_name_and_summary_and_nothing_else(cast, partners):
    person = cast.case.person
    page = signed_in(partners.mentor_partner).get(portal_page(partners)).content.decode()
    assert person.first_name in page
    assert SUMMARY in page
    assert "Socialt stöd" in page
    for hidden in (person.last_name, ADDRESS, PHONE, cast.case_worker.last_name):
        assert hidden not in page


def test_an_unticked_field_is_not_shown_even_if_text_was_stored(cast, partners):
    partners.consent.share_summary = False
    partners.consent.save()
    page = signed_in(partners.mentor_partner).get(portal_page(partners)).content.decode()
    assert cast.case.person.first_name in page
    assert SUMMARY not in page


def test_a_partner_of_another_organisation_gets_not_found(cast, partners):
    client = signed_in(partners.cafe_partner)
    pk = partners.referral.pk
    assert client.get(reverse("partners:portal_referral", args=[pk])).status_code == 404
    assert client.post(reverse("partners:portal_status", args=[pk])).status_code == 404
    assert client.post(reverse("partners:portal_feedback", args=[pk])).status_code == 404
    listing = client.get(reverse("partners:portal")).content.decode()
    assert "Inga förmedlingar till er organisation" in listing
    assert f"Förmedling {pk}" not in listing


def test_the_partners_own_list_shows_its_referral(cast, partners):
    listing = signed_in(partners.mentor_partner).get(reverse("partners:portal")).content.decode()
    assert f"Förmedling {partners.referral.pk}" in listing
    assert cast.case.person.first_name in listing


def test_the_start_page_of_a_partner_lists_their_referrals(cast, partners):
    page = signed_in(partners.mentor_partner).get(reverse("start")).content.decode()
    assert "Förmedlingar till er organisation" in page
    assert f"Förmedling {partners.referral.pk}" in page


def test_after_withdrawal_the_partner_sees_only_withdrawn_on_the_next_request(cast, partners):
    client = signed_in(partners.mentor_partner)
    assert SUMMARY in client.get(portal_page(partners)).content.decode()
    services.withdraw_consent(fake_request(cast.case_worker), partners.consent)
    page = client.get(portal_page(partners)).content.decode()
    assert "Återkallat" in page
    assert SUMMARY not in page
    assert cast.case.person.first_name not in page
    listing = client.get(reverse("partners:portal")).content.decode()
    assert "Återkallat" in listing
    assert cast.case.person.first_name not in listing
    accept = client.post(
        reverse("partners:portal_status", args=[partners.referral.pk]),
        {"status": "accepted", "version": partners.referral.version},
    )
    assert accept.status_code == 404


def test_every_partner_read_is_audited_and_in_the_persons_log_extract(cast, partners):
    signed_in(partners.mentor_partner).get(portal_page(partners))
    event = AuditEvent.objects.filter(
        action=Action.VIEW, user_id=partners.mentor_partner.pk, person_id=cast.case.person_id
    ).latest("pk")
    assert event.detail["fields"] == ["first_name", "need_areas", "summary"]
    extract = rows_for_person(cast.case.person_id)
    assert any("Partner i civilsamhället" in row.who for row in extract)


def test_the_partner_accepts_and_the_worker_sees_the_feedback(cast, partners):
    client = signed_in(partners.mentor_partner)
    pk = partners.referral.pk
    response = client.post(
        reverse("partners:portal_status", args=[pk]),
        {"status": "accepted", "version": partners.referral.version},
    )
    assert response.status_code == 302
    client.post(
        reverse("partners:portal_feedback", args=[pk]),
        {"kind": "attended", "note": "Kom på första träffen."},
    )
    partners.referral.refresh_from_db()
    assert partners.referral.status == "accepted"
    assert partners.referral.answered_on is not None
    worker_page = signed_in(cast.case_worker).get(
        reverse("partners:referral", args=[cast.case.pk, pk])
    )
    assert "Kom på första träffen." in worker_page.content.decode()
    case_page = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert "Accepterad" in case_page.content.decode()


def test_declining_without_a_reason_is_refused_at_the_field_and_nothing_changes(partners):
    client = signed_in(partners.mentor_partner)
    response = client.post(
        reverse("partners:portal_status", args=[partners.referral.pk]),
        {"status": "declined", "version": partners.referral.version},
    )
    assert "Skriv varför ni avböjer." in response.content.decode()
    partners.referral.refresh_from_db()
    assert partners.referral.status == "sent"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "completed"},
        {"status": "accepted", "first_contact_on": "2026-13-45"},
        {"status": "declined", "reason": "x" * 501},
    ],
)
def test_bad_status_input_gets_a_message_and_saves_nothing(partners, data):
    data = {"version": partners.referral.version, **data}
    response = signed_in(partners.mentor_partner).post(
        reverse("partners:portal_status", args=[partners.referral.pk]), data
    )
    assert response.status_code == 200
    assert "Något behöver rättas" in response.content.decode()
    partners.referral.refresh_from_db()
    assert partners.referral.status == "sent"


def test_empty_or_huge_feedback_is_refused(partners):
    client = signed_in(partners.mentor_partner)
    url = reverse("partners:portal_feedback", args=[partners.referral.pk])
    assert "Välj vad återkopplingen gäller." in client.post(url, {}).content.decode()
    huge = client.post(url, {"kind": "other", "note": "x" * 2001}).content.decode()
    assert "högst 2000 tecken" in huge
    assert partners.referral.feedback.count() == 0


def test_the_portal_runs_a_constant_number_of_queries(
    cast, partners, django_assert_max_num_queries
):
    client = signed_in(partners.mentor_partner)
    for _ in range(15):
        referral(
            cast.case, consent(cast.case, partners.mentors, cast.case_worker), cast.case_worker
        )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("partners:portal"))
    assert response.status_code == 200


def test_the_partner_takes_a_referral_through_to_ending_it_early_with_its_dates(cast, partners):
    client = signed_in(partners.mentor_partner)
    url = reverse("partners:portal_status", args=[partners.referral.pk])
    met = partners.referral.sent_on.isoformat()

    def move(status, **more):
        partners.referral.refresh_from_db()
        data = {"status": status, "version": partners.referral.version, **more}
        assert client.post(url, data).status_code == 302
        partners.referral.refresh_from_db()
        return partners.referral

    accepted = move("accepted", first_contact_on=met)
    assert (accepted.status, accepted.answered_on) == ("accepted", timezone.localdate())
    assert accepted.first_contact_on.isoformat() == met and accepted.ended_on is None
    assert move("active").status == "active"
    ended = move("ended_early")
    assert (ended.status, ended.ended_on) == ("ended_early", timezone.localdate())
    worker_page = signed_in(cast.case_worker).get(reverse("case_detail", args=[cast.case.pk]))
    assert "Avbruten i förtid" in worker_page.content.decode()
    # An ended referral cannot be taken up again.
    again = client.post(url, {"status": "active", "version": ended.version})
    assert again.status_code == 200
    partners.referral.refresh_from_db()
    assert partners.referral.status == "ended_early"
