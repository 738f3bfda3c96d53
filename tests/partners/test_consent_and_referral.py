"""No consent, no referral: the rule holds in the service layer, whatever the form does."""

from __future__ import annotations

import pytest

from brygga.audit.models import Action, AuditEvent
from brygga.partners import services
from brygga.partners.models import Consent, Referral
from tests.partners.conftest import ADDRESS, DAY, consent, fake_request, today

pytestmark = pytest.mark.django_db


def test_a_referral_under_a_consent_in_force_is_sent_and_audited(cast, partners):
    request = fake_request(cast.case_worker)
    made = services.make_referral(request, cast.case, partners.mentors, partners.consent)
    assert made.status == "sent"
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="partners.Referral", object_id=str(made.pk)
    ).exists()


def test_without_a_consent_the_service_refuses_to_refer(cast, partners):
    request = fake_request(cast.case_worker)
    before = Referral.objects.count()
    with pytest.raises(services.ConsentMissing):
        services.make_referral(request, cast.case, partners.cafe, None)
    assert Referral.objects.count() == before


def test_a_consent_for_another_organisation_does_not_allow_a_referral(cast, partners):
    request = fake_request(cast.case_worker)
    with pytest.raises(services.ConsentMissing):
        services.make_referral(request, cast.case, partners.cafe, partners.consent)
    # The same consent does allow the organisation it names.
    assert services.make_referral(request, cast.case, partners.mentors, partners.consent).pk


def test_a_withdrawn_consent_no_longer_allows_a_referral(cast, partners):
    request = fake_request(cast.case_worker)
    services.withdraw_consent(request, partners.consent)
    with pytest.raises(services.ConsentMissing):
        services.make_referral(request, cast.case, partners.mentors, partners.consent)


def test_an_expired_or_future_consent_does_not_allow_a_referral(cast, partners):
    request = fake_request(cast.case_worker)
    old = consent(
        cast.case,
        partners.cafe,
        cast.case_worker,
        valid_from=today() - 90 * DAY,
        valid_to=today() - DAY,
    )
    future = consent(
        cast.case,
        partners.cafe,
        cast.case_worker,
        valid_from=today() + DAY,
        valid_to=today() + 9 * DAY,
    )
    for given in (old, future):
        with pytest.raises(services.ConsentMissing):
            services.make_referral(request, cast.case, partners.cafe, given)


def test_another_persons_consent_does_not_allow_referring_this_person(cast, partners):
    from tests.factories import case_with_team

    other_case = case_with_team(cast.sodermalm, cast.case_worker)
    request = fake_request(cast.case_worker)
    with pytest.raises(services.ConsentMissing):
        services.make_referral(request, other_case, partners.mentors, partners.consent)


def test_a_consent_whose_summary_holds_the_address_is_never_saved(cast, partners):
    request = fake_request(cast.case_worker)
    leaking = Consent(
        case=cast.case,
        organisation=partners.cafe,
        purpose="Språkcafé",
        share_summary=True,
        summary=f"Hon bor på {ADDRESS.upper()}",
        given_how="oral",
        valid_from=today(),
        valid_to=today() + DAY,
    )
    before = Consent.objects.count()
    with pytest.raises(services.ProtectedDetailShared):
        services.record_consent(request, leaking)
    assert Consent.objects.count() == before


def test_texts_not_ticked_for_sharing_are_not_kept(cast, partners):
    request = fake_request(cast.case_worker)
    given = services.record_consent(
        request,
        Consent(
            case=cast.case,
            organisation=partners.cafe,
            purpose="Språkcafé",
            share_summary=False,
            summary="Något som inte ska delas",
            given_how="oral",
            valid_from=today(),
            valid_to=today() + DAY,
        ),
    )
    given.refresh_from_db()
    assert given.purpose == "Språkcafé"
    assert not given.summary
    assert AuditEvent.objects.filter(
        action=Action.CONSENT_CHANGE, person_id=cast.case.person_id
    ).exists()


def test_withdrawal_is_audited_as_a_consent_change(cast, partners):
    services.withdraw_consent(fake_request(cast.case_worker), partners.consent)
    partners.consent.refresh_from_db()
    assert partners.consent.withdrawn_at is not None
    event = AuditEvent.objects.filter(action=Action.CONSENT_CHANGE).latest("pk")
    assert event.detail["change"] == "withdrawn"


def test_a_partner_cannot_act_on_a_referral_after_withdrawal(cast, partners):
    services.withdraw_consent(fake_request(cast.case_worker), partners.consent)
    with pytest.raises(services.ConsentMissing):
        services.partner_move(
            fake_request(partners.mentor_partner),
            partners.referral,
            "accepted",
            based_on_version=partners.referral.version,
        )
    partners.referral.refresh_from_db()
    assert partners.referral.status == "sent"
