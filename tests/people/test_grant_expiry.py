"""Protected-details grants end by themselves and a manager revokes them (issue 14)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.access.protection import may_see_protected_details
from brygga.audit.models import AuditEvent
from brygga.people.models import ProtectedDetailsGrant
from tests.conftest import signed_in
from tests.people.test_protected_details import details  # noqa: F401

pytestmark = pytest.mark.django_db


def _grant(cast, **extra) -> ProtectedDetailsGrant:
    return ProtectedDetailsGrant.objects.create(
        person=cast.case.person,
        user=cast.housing_support,
        granted_by=cast.unit_manager,
        reason="Behöver adressen för flytten",
        **extra,
    )


def test_a_grant_lasts_thirty_days_by_default(cast, settings):
    assert settings.PROTECTED_GRANT_DAYS == 30
    grant = _grant(cast)
    lasts = grant.expires_at - grant.granted_at
    assert datetime.timedelta(days=29, hours=23) < lasts <= datetime.timedelta(days=30, seconds=5)


def test_the_length_of_a_grant_is_a_setting(cast, settings):
    settings.PROTECTED_GRANT_DAYS = 7
    grant = _grant(cast)
    assert (grant.expires_at - timezone.now()).days == 6


def test_an_expired_grant_no_longer_reveals(cast, details):  # noqa: F811
    grant = _grant(cast)
    assert may_see_protected_details(cast.housing_support, cast.case.person)
    grant.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    grant.save()
    assert not may_see_protected_details(cast.housing_support, cast.case.person)


def test_the_manager_lists_the_units_active_grants_and_revokes_one(cast, details):  # noqa: F811
    grant = _grant(cast)
    expired = _grant(cast, expires_at=timezone.now() - datetime.timedelta(days=1))
    manager = signed_in(cast.unit_manager)
    page = manager.get(reverse("access_requests")).content.decode()
    assert "Aktiva behörigheter till skyddade uppgifter" in page
    assert reverse("revoke_grant", args=[grant.pk]) in page
    assert reverse("revoke_grant", args=[expired.pk]) not in page
    response = manager.post(reverse("revoke_grant", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not may_see_protected_details(cast.housing_support, cast.case.person)
    revoked = AuditEvent.objects.filter(object_id=str(grant.pk), person_id=cast.case.person.pk)
    assert revoked.filter(detail__fields=["revoked_at"]).exists()
    assert "Inga aktiva behörigheter." in manager.get(reverse("access_requests")).content.decode()


def test_a_manager_of_another_unit_can_neither_see_nor_revoke_the_grant(cast, details):  # noqa: F811
    grant = _grant(cast)
    other = signed_in(cast.other_district_manager)
    page = other.get(reverse("access_requests")).content.decode()
    assert "Inga aktiva behörigheter." in page
    assert cast.case.person.full_name not in page
    assert other.post(reverse("revoke_grant", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None
