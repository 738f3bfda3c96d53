"""The worker records consent and refers from the plan; bad input is refused at the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.partners.models import Consent, Referral
from brygga.support.areas import NeedArea
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.partners.conftest import DAY, PHONE, today
from tests.support.conftest import intervention, task

pytestmark = pytest.mark.django_db


def consent_data(partners, **overrides):
    data = {
        "organisation": partners.cafe.pk,
        "purpose": "Språkcafé på lördagar",
        "share_first_name": "on",
        "share_need_areas": "on",
        "need_areas": [NeedArea.SOCIAL],
        "given_how": "written",
        "valid_from": today().isoformat(),
        "valid_to": (today() + 90 * DAY).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_worker_records_a_consent_from_the_case(cast, partners):
    client = signed_in(cast.case_worker)
    url = reverse("partners:consent_new", args=[cast.case.pk])
    response = client.post(url, consent_data(partners))
    assert response.status_code == 302
    saved = Consent.objects.get(organisation=partners.cafe)
    assert saved.person_id == cast.case.person_id
    assert saved.recorded_by == cast.case_worker
    assert saved.need_areas == [NeedArea.SOCIAL]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": None}, "Välj en organisation."),
        ({"purpose": ""}, "Fyll i fältet."),
        ({"purpose": "x" * 301}, "högst 300 tecken"),
        ({"given_how": None}, "Ange om samtycket var skriftligt eller muntligt."),
        ({"valid_to": "2026-02-30"}, "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"valid_to": (today() - 2 * DAY).isoformat()}, "Samtycket kan inte upphöra innan"),
        ({"valid_from": "1850-01-01"}, "mellan år 2000 och 2100"),
        ({"share_summary": "on"}, "Skriv sammanfattningen."),
        (
            {"share_contact_channel": "on", "contact_channel": f"Ring {PHONE}"},
            "Texten innehåller en skyddad uppgift",
        ),
        ({"organisation": "99999999"}, "Välj en organisation i listan."),
    ],
)
def test_bad_consent_input_gets_a_swedish_message_and_nothing_is_saved(
    cast, partners, overrides, message
):
    before = Consent.objects.count()
    response = signed_in(cast.case_worker).post(
        reverse("partners:consent_new", args=[cast.case.pk]), consent_data(partners, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Något behöver rättas" in page
    assert message in page
    assert Consent.objects.count() == before


def test_an_empty_post_shows_the_errors(cast, partners):
    response = signed_in(cast.case_worker).post(
        reverse("partners:consent_new", args=[cast.case.pk]), {}
    )
    assert "Välj en organisation." in response.content.decode()


def test_the_worker_refers_from_a_plan_intervention_and_the_plan_item_shows_it(cast, partners):
    mentor = intervention(cast.case, "Mentorprogram i civilsamhället", "planned")
    client = signed_in(cast.case_worker)
    url = reverse("partners:referral_new", args=[cast.case.pk]) + f"?insats={mentor.pk}"
    form_page = client.get(url).content.decode()
    assert partners.mentors.name in form_page
    response = client.post(url, {"consent": partners.consent.pk, "intervention": mentor.pk})
    assert response.status_code == 302
    made = Referral.objects.latest("pk")
    assert made.intervention == mentor
    case_page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert f"Förmedlad till {partners.mentors.name}: Skickad" in case_page


def test_the_worker_refers_from_a_task_and_the_task_shows_the_state(cast, partners):
    errand = task(cast.case, NeedArea.SOCIAL)
    client = signed_in(cast.case_worker)
    url = reverse("partners:referral_new", args=[cast.case.pk]) + f"?uppgift={errand.pk}"
    response = client.post(url, {"consent": partners.consent.pk, "task": errand.pk})
    assert response.status_code == 302
    made = Referral.objects.latest("pk")
    assert made.task == errand and made.intervention is None
    case_page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    badge = f'<span class="badge">Förmedlad till {partners.mentors.name}: Skickad</span>'
    assert f"<li>{errand.title} {badge}" in case_page


def test_a_task_of_another_case_is_refused_at_the_field_and_nothing_is_sent(cast, partners):
    elsewhere = task(case_with_team(cast.sodermalm, cast.case_worker), NeedArea.SOCIAL)
    before = Referral.objects.count()
    page = signed_in(cast.case_worker).post(
        reverse("partners:referral_new", args=[cast.case.pk]),
        {"consent": partners.consent.pk, "task": elsewhere.pk},
    )
    assert page.status_code == 200
    assert "Välj en uppgift i ärendets plan." in page.content.decode()
    assert Referral.objects.count() == before


def test_a_withdrawn_consent_cannot_be_chosen_for_a_referral(cast, partners):
    partners.consent.withdrawn_at = partners.consent.recorded_at
    partners.consent.save()
    before = Referral.objects.count()
    client = signed_in(cast.case_worker)
    url = reverse("partners:referral_new", args=[cast.case.pk])
    assert "Det finns inget gällande samtycke" in client.get(url).content.decode()
    response = client.post(url, {"consent": partners.consent.pk})
    assert "Samtycket gäller inte längre" in response.content.decode()
    assert Referral.objects.count() == before


def test_the_worker_withdraws_a_consent_from_the_case_page(cast, partners):
    client = signed_in(cast.case_worker)
    page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    assert "Återkalla samtycket för" in page
    client.post(reverse("partners:consent_withdraw", args=[cast.case.pk, partners.consent.pk]))
    partners.consent.refresh_from_db()
    assert partners.consent.withdrawn_at is not None


def test_housing_support_acting_in_part_neither_sees_nor_records_consents(cast, partners):
    client = signed_in(cast.housing_support)
    page = client.get(reverse("case_detail", args=[cast.case.pk])).content.decode()
    # Her part of the case page, without the consents (they are the case team's).
    assert "Dina genomförandeanteckningar" in page
    assert "Samtycken och förmedlingar" not in page
    url = reverse("partners:consent_new", args=[cast.case.pk])
    assert client.get(url).status_code == 404
