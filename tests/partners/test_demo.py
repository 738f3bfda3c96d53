"""Demo partners: a dozen organisations, two partner logins, referrals in every state."""

from io import StringIO

import pytest
from django.core.management import call_command

from brygga.partners.models import ContactAssignment, ContactPerson, Organisation, Referral

pytestmark = pytest.mark.django_db


def test_the_demo_has_organisations_partner_logins_and_referrals_in_every_state():
    out = StringIO()
    call_command("seed_demo", persons=300, seed=3, stdout=out)
    assert Organisation.objects.count() == 12
    assert Organisation.objects.filter(name__endswith="(fiktiv)").count() == 12
    assert "partner.demo" in out.getvalue() and "partner2.demo" in out.getvalue()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == {"sent", "accepted", "declined", "active", "completed", "ended_early"}
    assert Referral.objects.filter(consent__withdrawn_at__isnull=False).exists()
    assert ContactPerson.objects.count() >= 10
    assert ContactAssignment.objects.exists()
    # Both partner logins see referrals to their own organisation.
    for username in ("partner.demo", "partner2.demo"):
        assert Referral.objects.filter(organisation__partner_users__user__username=username)
