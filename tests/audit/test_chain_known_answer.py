"""The chain's hash input has one fixed form. The same code writes and checks the chain, so a
change to the canonical form (time zone, key order, separators, ASCII escaping, IPv6 spelling)
would go unnoticed by every round-trip test and silently break verification of old rows; this
known answer catches it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory, override_settings

from brygga.audit import chain
from brygga.audit.log import record
from brygga.audit.models import Action, AuditEvent

KEY = "known-answer-key-for-the-chain-test-0001"
CANONICAL = (
    '{"action":"view","at":"2026-03-01T12:30:00.123456+00:00",'
    '"detail":{"a":{"ö":1.5},"persons":[3,1]},"ip_address":"2001:db8::1",'
    '"object_id":"9","object_type":"cases.Case","path":"/arenden/9/","person_id":42,'
    '"prev_hash":"' + "0" * 64 + '","reason":"Akut läge","request_id":"req-1",'
    '"roles":"worker@3","user_id":7,"username":"anna.åström"}'
)
KNOWN_HASH = "0873ecbcdc5bf604be5b378e4a7e48b2f3af09337a89eec00e215314b2faecbf"


def fixed_event() -> AuditEvent:
    return AuditEvent(
        # Stockholm time in winter: the hash covers the instant in UTC, an hour earlier.
        at=datetime.datetime(2026, 3, 1, 13, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Stockholm")),
        action="view",
        user_id=7,
        username="anna.åström",
        roles="worker@3",
        person_id=42,
        object_type="cases.Case",
        object_id="9",
        path="/arenden/9/",
        request_id="req-1",
        ip_address="2001:DB8:0:0:0:0:0:1",
        reason="Akut läge",
        detail={"persons": [3, 1], "a": {"ö": 1.5}},
        prev_hash=chain.GENESIS,
    )


def test_the_hash_input_of_a_fixed_event_has_its_known_form():
    assert chain.canonical(fixed_event()).decode() == CANONICAL


@override_settings(AUDIT_CHAIN_KEY=KEY)
def test_a_fixed_event_has_its_known_hash():
    assert chain.compute_hash(fixed_event()) == KNOWN_HASH


def test_the_hash_depends_on_the_key():
    with override_settings(AUDIT_CHAIN_KEY=KEY):
        keyed = chain.compute_hash(fixed_event())
    with override_settings(AUDIT_CHAIN_KEY=KEY + "x"):
        assert chain.compute_hash(fixed_event()) != keyed


@pytest.mark.django_db
def test_an_ipv6_client_is_recorded_in_its_short_form_and_verifies():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000:0000:0000:0000:0000:0001")
    event = record(request, Action.LOGIN_FAILED, username="mallory")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip_address == "2001:db8::1"
    assert stored.hash == chain.compute_hash(stored)
    assert chain.verify().ok


@pytest.mark.django_db
def test_an_ipv4_client_is_recorded_as_it_came():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    event = record(request, Action.LOGIN_FAILED, username="mallory")
    assert AuditEvent.objects.get(pk=event.pk).ip_address == "192.0.2.10"


@pytest.mark.django_db
def test_the_verifier_reports_how_many_rows_it_checked_and_the_head():
    events = [record(None, Action.LOGIN_FAILED, username=f"user{i}") for i in range(3)]
    chain.seal(batch_size=2)
    result = chain.verify(chunk_size=2)
    assert result.ok
    assert (result.checked, result.unchained, result.pending) == (3, 0, 0)
    head = AuditEvent.objects.get(pk=events[-1].pk)
    assert (result.head_id, result.head_hash) == (head.pk, head.hash)


@pytest.mark.django_db
def test_an_event_whose_detail_is_not_a_number_is_refused_before_it_is_written():
    record(None, Action.VIEW, username="socsek", detail={"kvot": 0.5})
    with pytest.raises(ValueError, match="JSON"):
        record(None, Action.VIEW, username="socsek", detail={"kvot": float("nan")})
    assert AuditEvent.objects.count() == 1
