"""Allocating a flat from a decision and ending it: the rules, the database's own guard,
nothing half-saved, and where she moved recorded as an outcome."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from brygga.audit.models import AuditEvent
from brygga.cases.models import OutcomeEvent
from brygga.housing import services
from brygga.housing.models import Allocation, Flat, MovedTo, WaitingEntry
from tests.conftest import signed_in
from tests.factories import case_with_team
from tests.housing.conftest import DAY, allocated, decision, flat, today

pytestmark = pytest.mark.django_db


def a_request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_the_worker_allocates_a_flat_from_a_granted_decision(cast):
    home = flat(cast.sodermalm)
    granted = decision(cast.case)
    WaitingEntry.objects.create(
        case=cast.case, district=cast.sodermalm.administration, kind=home.kind, since=today()
    )
    response = signed_in(cast.case_worker).post(
        reverse("housing:allocate", args=[cast.case.pk]),
        {"intervention": granted.pk, "flat": home.pk, "starts_on": today().isoformat()},
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get(flat=home)
    assert allocation.case == cast.case and allocation.intervention == granted
    # Left empty, "until" is the decision period's end.
    assert allocation.until == granted.period_end
    # She no longer waits for that kind of housing.
    assert WaitingEntry.objects.get(case=cast.case).left_on == today()
    assert AuditEvent.objects.filter(
        action="create", object_type="housing.Allocation", person_id=cast.case.person_id
    ).exists()


def test_an_overlapping_allocation_is_refused_in_swedish_and_nothing_is_saved(cast):
    home = flat(cast.sodermalm)
    other_case = case_with_team(cast.sodermalm, cast.case_worker)
    allocated(home, other_case, today() - 10 * DAY)
    granted = decision(cast.case)
    client = signed_in(cast.case_worker)
    url = reverse("housing:allocate", args=[cast.case.pk])
    # The flat is held, so it is not even offered...
    page = client.get(url).content.decode()
    assert "Tilldela lägenhet" in page and home.label not in page
    # ...and a forged post gets a message next to the field.
    response = client.post(
        url, {"intervention": granted.pk, "flat": home.pk, "starts_on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "Välj en ledig lägenhet i listan." in response.content.decode()
    assert Allocation.objects.filter(flat=home).count() == 1


def test_the_service_refuses_an_overlap_with_an_ended_stay(cast):
    home = flat(cast.sodermalm)
    allocated(home, cast.case, today() - 100 * DAY, ended_on=today() - 20 * DAY, moved_to="unknown")
    with pytest.raises(services.HousingRefused) as refused:
        services.allocate(
            a_request(cast.case_worker), decision(cast.case), home, today() - 30 * DAY, None
        )
    assert "redan tilldelad" in refused.value.message
    assert refused.value.field == "starts_on"
    # The day she moved out, the flat is free again.
    services.allocate(
        a_request(cast.case_worker), decision(cast.case), home, today() - 20 * DAY, None
    )
    assert Allocation.objects.filter(flat=home).count() == 2


@pytest.mark.parametrize("ended", [None, 5])
def test_the_database_itself_refuses_two_allocations_sharing_a_day(cast, ended):
    home = flat(cast.sodermalm)
    allocated(home, cast.case, today() - 10 * DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            flat=home,
            case=cast.case,
            intervention=decision(cast.case),
            starts_on=today() - 20 * DAY,
            ended_on=today() - (ended or 0) * DAY if ended else None,
            moved_to="unknown" if ended else "",
        )
    assert Allocation.objects.filter(flat=home).count() == 1


def test_the_database_refuses_an_edit_that_makes_two_stays_overlap(cast):
    home = flat(cast.sodermalm)
    first = allocated(
        home, cast.case, today() - 100 * DAY, ended_on=today() - 50 * DAY, moved_to="unknown"
    )
    allocated(home, cast.case, today() - 40 * DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=first.pk).update(ended_on=today() - 30 * DAY)
    first.refresh_from_db()
    assert first.ended_on == today() - 50 * DAY


def test_the_database_refuses_a_move_out_before_the_move_in(cast):
    home = flat(cast.sodermalm)
    with pytest.raises(IntegrityError), transaction.atomic():
        allocated(home, cast.case, today(), ended_on=today() - DAY, moved_to="unknown")
    assert not Allocation.objects.filter(flat=home).exists()


def test_ending_with_own_lease_records_an_own_tenancy_outcome(cast):
    allocation = allocated(flat(cast.sodermalm), cast.case, today() - 60 * DAY)
    response = signed_in(cast.case_worker).post(
        reverse("housing:end_allocation", args=[cast.case.pk, allocation.pk]),
        {
            "ended_on": today().isoformat(),
            "moved_to": MovedTo.OWN_LEASE,
            "version": allocation.version,
        },
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ended_on == today() and allocation.moved_to == "own_lease"
    outcome = OutcomeEvent.objects.get(case=cast.case)
    assert outcome.kind == "own_tenancy" and outcome.occurred_on == today()
    assert allocation.outcome == outcome


def test_a_second_hand_lease_is_kept_on_the_allocation_without_an_outcome_event(cast):
    allocation = allocated(flat(cast.sodermalm), cast.case, today() - 60 * DAY)
    services.end_allocation(
        a_request(cast.case_worker),
        allocation,
        ended_on=today(),
        moved_to=MovedTo.SECOND_HAND,
        based_on_version=allocation.version,
    )
    assert Allocation.objects.get(pk=allocation.pk).moved_to == "second_hand"
    assert not OutcomeEvent.objects.filter(case=cast.case).exists()


def test_ending_before_the_start_gets_a_swedish_error_and_saves_nothing(cast):
    allocation = allocated(flat(cast.sodermalm), cast.case, today() - 10 * DAY)
    response = signed_in(cast.case_worker).post(
        reverse("housing:end_allocation", args=[cast.case.pk, allocation.pk]),
        {
            "ended_on": (today() - 20 * DAY).isoformat(),
            "moved_to": MovedTo.FAMILY,
            "version": allocation.version,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Utflyttningen kan inte vara före inflyttningen" in body
    assert "Något behöver rättas" in body
    assert Allocation.objects.get(pk=allocation.pk).ended_on is None
    assert not OutcomeEvent.objects.exists()


def test_a_stale_end_is_a_conflict_and_records_no_outcome(cast):
    allocation = allocated(flat(cast.sodermalm), cast.case, today() - 10 * DAY)
    Allocation.objects.filter(pk=allocation.pk).update(version=5)
    response = signed_in(cast.case_worker).post(
        reverse("housing:end_allocation", args=[cast.case.pk, allocation.pk]),
        {"ended_on": today().isoformat(), "moved_to": MovedTo.FAMILY, "version": 1},
    )
    assert response.status_code == 200
    assert "Någon annan har ändrat tilldelningen" in response.content.decode()
    assert Allocation.objects.get(pk=allocation.pk).ended_on is None
    assert not OutcomeEvent.objects.exists()


def test_a_flat_cannot_be_removed_while_held(cast):
    home = flat(cast.sodermalm)
    allocated(home, cast.case, today() - 10 * DAY)
    client = signed_in(cast.unit_manager)
    response = client.post(
        reverse("housing:flat_remove", args=[home.pk]), {"version": home.version}, follow=True
    )
    assert "kan inte tas bort medan den är tilldelad" in response.content.decode()
    assert Flat.objects.get(pk=home.pk).removed_on is None
    # A free flat can be.
    free = flat(cast.sodermalm)
    client.post(reverse("housing:flat_remove", args=[free.pk]), {"version": free.version})
    assert Flat.objects.get(pk=free.pk).removed_on == today()


def test_the_database_refuses_to_delete_a_flat_that_was_ever_allocated(cast):
    home = flat(cast.sodermalm)
    allocated(home, cast.case, today() - 10 * DAY)
    with pytest.raises(ProtectedError), transaction.atomic():
        home.delete()
    assert Flat.objects.filter(pk=home.pk).exists()
